//! The bindings wit-bindgen generates from `wit/task.wit` (component builds only).
//! Task authors never name them: [`task!`](crate::task) exports through them.

wit_bindgen::generate!({
    path: "../wit/task.wit",
    world: "stepwise:task/task",
    pub_export_macro: true,
    export_macro_name: "export",
    default_bindings_module: "::stepwise_sdk::__private::bindings",
});
