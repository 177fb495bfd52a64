fn main() -> std::process::ExitCode {
    deescalate::cli::main()
}
