fn main() {
    stadtlab_client::run();
}
