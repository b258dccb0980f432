//! An ssh-agent owned by one run: it serves that run's private keys on a socket in the run's
//! 0700 work directory and refuses every request but listing keys and signing once loaded.

use crate::AutomationError;
use russh::keys::agent::server::{Agent, MessageType};
use russh::keys::PrivateKey;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokio::task::JoinHandle;

#[derive(Clone)]
struct Sealed(Arc<AtomicBool>);

impl Agent for Sealed {
    fn confirm_request(&self, msg: MessageType) -> impl std::future::Future<Output = bool> + Send {
        let sealed = self.0.load(Ordering::SeqCst);
        async move { !sealed || matches!(msg, MessageType::RequestKeys | MessageType::Sign) }
    }
}

/// A running agent; stops when dropped.
pub(crate) struct RunAgent {
    task: JoinHandle<()>,
}

impl Drop for RunAgent {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl RunAgent {
    /// Starts an agent on `socket` holding `keys`.
    pub(crate) async fn start(socket: &Path, keys: &[PrivateKey]) -> Result<Self, AutomationError> {
        let listener = tokio::net::UnixListener::bind(socket)
            .map_err(|e| AutomationError::Prepare(format!("agent socket: {e}")))?;
        let sealed = Arc::new(AtomicBool::new(false));
        let agent = Sealed(sealed.clone());
        let task = tokio::spawn(async move {
            let _ = russh::keys::agent::server::serve(
                tokio_stream::wrappers::UnixListenerStream::new(listener),
                agent,
            )
            .await;
        });
        let me = Self { task };
        let stream = tokio::net::UnixStream::connect(socket)
            .await
            .map_err(|e| AutomationError::Prepare(format!("agent socket: {e}")))?;
        let mut client = russh::keys::agent::client::AgentClient::connect(stream);
        for key in keys {
            client
                .add_identity(key, &[])
                .await
                .map_err(|e| AutomationError::Key(e.to_string()))?;
        }
        sealed.store(true, Ordering::SeqCst);
        Ok(me)
    }
}
