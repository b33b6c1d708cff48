//! `wrong-signature`: a component that exports a `run` of the wrong type
//! (`func(input: string) -> string`, no `task-error`): the host must check the
//! export's signature, not only its name, and refuse it when it is loaded.

wit_bindgen::generate!({
    inline: r"
        package example:almost@0.1.0;

        world almost-task {
            export run: func(input: string) -> string;
        }
    ",
});

struct Almost;

impl Guest for Almost {
    fn run(input: String) -> String {
        input
    }
}

export!(Almost);
