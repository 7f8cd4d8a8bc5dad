//! Placeholder for the Bevy visitor client (see issue "Walk the lab from a browser").
//! It already links the shared protocol so that the workspace checks the client side of it.

fn main() {
    println!(
        "stadtlab client (protocol v{}): the 3D client is not built yet; use a browser at http://localhost:8080",
        stadtlab_shared::protocol::PROTOCOL_VERSION
    );
}
