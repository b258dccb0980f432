//! The SSH client against real sshd processes on loopback.

use itmgr_domain::{HostAddress, TargetPolicy};
use itmgr_ssh::{connect, connect_with, Credentials, KbdStep, Login, SshError, Timeouts};
use itmgr_testfleet::{client_keys, closed_port, Fleet, Silent, KEY_PASSPHRASE, PASSWORD, USER};
use std::time::Duration;
use zeroize::Zeroizing;

fn t() -> Timeouts {
    Timeouts::all(Duration::from_secs(5))
}

fn addr(ip: std::net::Ipv4Addr) -> HostAddress {
    HostAddress::Ip(ip.into())
}

fn creds(password: Option<&str>, key: Option<&str>) -> Credentials {
    Credentials {
        username: USER.into(),
        password: password.map(|p| Zeroizing::new(p.to_owned())),
        private_key: key.map(|k| Zeroizing::new(k.to_owned())),
        passphrase: None,
    }
}

#[tokio::test]
async fn logs_in_by_password_ed25519_and_rsa_and_refuses_wrong_credentials() {
    let fleet = Fleet::start(1);
    let h = &fleet.hosts[0];
    let policy = TargetPolicy::default();
    let keys = client_keys();
    let encrypted = |pass: &str| Credentials {
        passphrase: Some(Zeroizing::new(pass.to_owned())),
        ..creds(None, Some(&keys.encrypted))
    };
    let cases: [(Credentials, bool); 8] = [
        (creds(Some(PASSWORD), None), true),
        (creds(None, Some(&keys.ed25519)), true),
        (creds(None, Some(&keys.rsa)), true),
        (creds(None, Some(&keys.ecdsa)), true),
        (encrypted(KEY_PASSPHRASE), true),
        (creds(Some("wrong-password"), None), false),
        (creds(None, Some(&keys.stranger)), false),
        (encrypted("wrong passphrase"), false),
    ];
    for (i, (c, ok)) in cases.iter().enumerate() {
        let mut s = connect(&policy, &addr(h.ip), h.port, None, t())
            .await
            .unwrap();
        assert!(s.is_first_use());
        assert_eq!(s.host_key().openssh, h.host_key);
        let r = s.authenticate(c, Duration::from_secs(10)).await;
        assert_eq!(r.is_ok(), *ok, "case {i}: {r:?}");
        if !ok {
            assert!(
                matches!(r, Err(SshError::AuthFailed(_) | SshError::BadCredential(_))),
                "case {i}: {r:?}"
            );
        }
        s.close().await;
    }
}

#[tokio::test]
async fn a_recorded_host_key_must_match() {
    let fleet = Fleet::start(2);
    let (a, b) = (&fleet.hosts[0], &fleet.hosts[1]);
    let policy = TargetPolicy::default();
    let s = connect(&policy, &addr(a.ip), a.port, Some(&a.host_key), t())
        .await
        .unwrap();
    assert!(!s.is_first_use());
    s.close().await;
    // Host b presents another ed25519 key than the one on record for it.
    let err = connect(&policy, &addr(b.ip), b.port, Some(&a.host_key), t())
        .await
        .unwrap_err();
    assert!(matches!(err, SshError::HostKeyChanged { .. }), "{err}");
    assert!(err.to_string().contains("host key changed"));
}

#[tokio::test]
async fn down_closed_and_silent_hosts_fail_clearly() {
    let mut fleet = Fleet::start(1);
    let policy = TargetPolicy::default();
    let h = &mut fleet.hosts[0];
    h.stop();
    let err = connect(&policy, &addr(h.ip), h.port, None, t())
        .await
        .unwrap_err();
    assert!(matches!(err, SshError::Net(_)), "{err}");
    h.start();
    connect(&policy, &addr(h.ip), h.port, None, t())
        .await
        .unwrap()
        .close()
        .await;

    let closed = closed_port();
    let err = connect(
        &policy,
        &HostAddress::Ip(closed.ip()),
        closed.port(),
        None,
        t(),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("cannot connect"), "{err}");

    let silent = Silent::start();
    let short = Timeouts::all(Duration::from_millis(500));
    let err = connect(
        &policy,
        &HostAddress::Ip(silent.addr.ip()),
        silent.addr.port(),
        None,
        short,
    )
    .await
    .unwrap_err();
    assert!(matches!(err, SshError::Timeout("handshake", _)), "{err}");
}

#[tokio::test]
async fn legacy_algorithms_are_offered_only_when_asked() {
    // An "old device": SHA-1 key exchange and CBC ciphers only.
    let fleet = Fleet::start_with(
        1,
        "KexAlgorithms diffie-hellman-group14-sha1\nCiphers aes128-cbc\nMACs hmac-sha1\n",
    );
    let h = &fleet.hosts[0];
    let policy = TargetPolicy::default();
    let err = connect(&policy, &addr(h.ip), h.port, None, t())
        .await
        .unwrap_err();
    assert!(matches!(err, SshError::Protocol(_)), "{err}");
    let mut s = connect_with(&policy, &addr(h.ip), h.port, None, t(), true)
        .await
        .unwrap();
    s.authenticate(&creds(Some(PASSWORD), None), Duration::from_secs(10))
        .await
        .unwrap();
    let out = s.exec("echo legacy-ok", None).await.unwrap();
    assert_eq!(out.stdout, b"legacy-ok\n");
    assert_eq!(out.exit_status, Some(0));
    s.close().await;
}

#[tokio::test]
async fn keyboard_interactive_prompts_are_handed_to_the_caller_not_answered() {
    let fleet = Fleet::start_with(1, itmgr_testfleet::KEY_THEN_KBD_INTERACTIVE);
    let h = &fleet.hosts[0];
    let policy = TargetPolicy::default();
    let keys = client_keys();
    // The credential holds the password too: it must not be used to answer the prompt.
    let c = creds(Some(PASSWORD), Some(&keys.ed25519));
    let mut s = connect(&policy, &addr(h.ip), h.port, None, t())
        .await
        .unwrap();
    let login = s.login(&c, Duration::from_secs(10)).await.unwrap();
    assert_eq!(
        login,
        Login::KeyboardInteractive {
            after: Some("publickey")
        }
    );
    let KbdStep::Prompts { prompts, .. } = s.kbd_start(USER).await.unwrap() else {
        panic!("expected prompts");
    };
    assert_eq!(prompts.len(), 1, "{prompts:?}");
    assert!(
        prompts[0].prompt.to_lowercase().contains("password"),
        "{prompts:?}"
    );
    assert!(!prompts[0].echo);
    let mut step = s
        .kbd_respond(vec![Zeroizing::new(PASSWORD.to_owned())])
        .await
        .unwrap();
    // OpenSSH's PAM conversation ends with a request of no prompts, answered with no answers.
    while let KbdStep::Prompts { prompts, .. } = &step {
        assert!(prompts.is_empty(), "{step:?}");
        step = s.kbd_respond(vec![]).await.unwrap();
    }
    assert_eq!(step, KbdStep::Success);
    let out = s.exec("echo mfa-ok", None).await.unwrap();
    assert_eq!(out.stdout, b"mfa-ok\n");
    s.close().await;

    // A wrong answer is refused; `authenticate` (no person to ask) fails plainly.
    let mut s = connect(&policy, &addr(h.ip), h.port, None, t())
        .await
        .unwrap();
    assert!(matches!(
        s.login(&c, Duration::from_secs(10)).await,
        Ok(Login::KeyboardInteractive { .. })
    ));
    let step = s.kbd_start(USER).await.unwrap();
    assert!(matches!(step, KbdStep::Prompts { .. }));
    let step = s
        .kbd_respond(vec![Zeroizing::new("wrong".into())])
        .await
        .unwrap();
    assert!(
        matches!(step, KbdStep::Failure { .. } | KbdStep::Prompts { .. }),
        "{step:?}"
    );
    s.close().await;
    let mut s = connect(&policy, &addr(h.ip), h.port, None, t())
        .await
        .unwrap();
    assert!(matches!(
        s.authenticate(&c, Duration::from_secs(10)).await,
        Err(SshError::AuthFailed(_))
    ));
    s.close().await;
}
