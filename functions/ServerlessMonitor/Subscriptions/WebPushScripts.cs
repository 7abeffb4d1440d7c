namespace ServerlessMonitor.Subscriptions;

/// <summary>The scripts of web push: the service worker (served by a route) and the page's Notify me handler (inline, by CSP hash).</summary>
public static class WebPushScripts
{
    /// <summary>Shows each push as a notification (one per service: the tag replaces the previous one) and opens its link on click.</summary>
    public const string Worker = """
        self.addEventListener('push', e => {
          const m = e.data ? e.data.json() : { title: 'ServerlessMonitor', body: '' };
          e.waitUntil(self.registration.showNotification(m.title, { body: m.body, tag: m.tag, data: { url: m.url || '/' } }));
        });
        self.addEventListener('notificationclick', e => {
          e.notification.close();
          e.waitUntil(clients.openWindow(e.notification.data.url));
        });
        """;

    /// <summary>
    /// Shows the Notify me buttons when the browser can push and the server has a key; on click asks for permission,
    /// registers the worker, subscribes with the server's key and posts the subscription.
    /// </summary>
    public const string Page = """
        (() => {
          const buttons = document.querySelectorAll('button.notify');
          if (!buttons.length || !('serviceWorker' in navigator) || !('PushManager' in window)) return;
          const bytes = s => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), c => c.charCodeAt(0));
          const active = reg => reg.active ? Promise.resolve() : new Promise(done => {
            const w = reg.installing || reg.waiting;
            w.addEventListener('statechange', () => { if (w.state === 'activated') done(); });
          });
          fetch('/api/subscriptions/push/key').then(r => r.ok ? r.json() : null).then(k => {
            if (!k) return;
            buttons.forEach(b => {
              b.hidden = false;
              b.addEventListener('click', async () => {
                const out = b.parentElement.querySelector('.notify-result');
                try {
                  if (await Notification.requestPermission() !== 'granted') { out.textContent = b.dataset.blocked; return; }
                  const reg = await navigator.serviceWorker.register(b.dataset.worker);
                  await active(reg);
                  const sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: bytes(k.publicKey) });
                  const r = await fetch(b.dataset.action, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(sub) });
                  out.textContent = r.ok ? b.dataset.done : b.dataset.failed + ' (' + r.status + ')';
                } catch (e) { out.textContent = b.dataset.failed; }
              });
            });
          });
        })();
        """;
}
