//! The SQLite file survives restarts: same server identity, same rooms.

mod common;

use common::TestServer;

#[test]
fn identity_and_rooms_survive_a_restart() {
    let mut first = TestServer::start();
    let storage = first.server.as_ref().unwrap().storage.clone();
    let key_before = first.runtime.block_on(storage.netcode_key()).unwrap().0;
    let rooms_before = first.runtime.block_on(storage.rooms()).unwrap();
    assert!(
        rooms_before
            .iter()
            .any(|r| r.name == "stadtlabor" && r.capacity == 200)
    );
    first.stop();
    assert!(
        first.data.path().join("stadtlab.sqlite").exists(),
        "a real SQLite file"
    );

    let data = std::mem::replace(&mut first.data, tempfile::tempdir().unwrap());
    let scenes = std::mem::replace(&mut first.scenes, tempfile::tempdir().unwrap());
    let cfg = common::config(data.path(), scenes.path());
    let second = TestServer::start_config(cfg, data, scenes);
    let storage = second.server.as_ref().unwrap().storage.clone();
    let key_after = second.runtime.block_on(storage.netcode_key()).unwrap().0;
    assert_eq!(
        key_before, key_after,
        "the netcode key is generated once and kept"
    );
    assert_eq!(
        second.runtime.block_on(storage.rooms()).unwrap(),
        rooms_before
    );
    // Tokens from the restarted server still work end to end.
    let bot = second.bot("stadtlabor", "Anna");
    assert!(bot.me.is_some());
}
