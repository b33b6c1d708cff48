//! `wrong-world`: a valid component of another world. It exports `greet`, not
//! `run`, and imports nothing of Stepwise's: the host must refuse it with a clear
//! error when it is loaded (uploaded), not fail later.

wit_bindgen::generate!({
    inline: r"
        package example:other@1.0.0;

        world greeter {
            export greet: func(name: string) -> string;
        }
    ",
});

struct Greeter;

impl Guest for Greeter {
    fn greet(name: String) -> String {
        format!("hello, {name}")
    }
}

export!(Greeter);
