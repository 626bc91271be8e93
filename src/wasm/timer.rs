//! Timers from the host (`setTimeout` exists in browsers, Node, Deno and Workers alike).

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

/// A pending `setTimeout`, cleared when dropped.
pub struct Timeout {
    id: JsValue,
    _callback: Closure<dyn FnMut()>,
}

impl Timeout {
    /// Calls `f` after `ms` milliseconds unless dropped first.
    pub fn new(ms: f64, f: impl FnMut() + 'static) -> Self {
        let callback = Closure::<dyn FnMut()>::new(f);
        let id = set_timeout(callback.as_ref().unchecked_ref(), ms);
        Timeout {
            id,
            _callback: callback,
        }
    }
}

impl Drop for Timeout {
    fn drop(&mut self) {
        clear_timeout(&self.id);
    }
}

/// An `abort` listener on a caller's signal, removed when dropped (so a long-lived signal
/// does not collect one listener per call).
pub struct AbortListener {
    signal: AbortSignal,
    callback: Closure<dyn FnMut()>,
}

impl AbortListener {
    /// Calls `f` when `signal` aborts.
    pub fn new(signal: &AbortSignal, f: impl FnMut() + 'static) -> Self {
        let callback = Closure::<dyn FnMut()>::new(f);
        // Fails only for a non-EventTarget, which `AbortSignal` is not.
        let _ = signal.add_event_listener_with_callback("abort", callback.as_ref().unchecked_ref());
        AbortListener {
            signal: signal.clone(),
            callback,
        }
    }
}

impl Drop for AbortListener {
    fn drop(&mut self) {
        let _ = self
            .signal
            .remove_event_listener_with_callback("abort", self.callback.as_ref().unchecked_ref());
    }
}

/// Waits `ms` milliseconds; `Err(())` if `signal` aborts first.
pub async fn sleep(ms: f64, signal: Option<&AbortSignal>) -> Result<(), ()> {
    if signal.is_some_and(AbortSignal::aborted) {
        return Err(());
    }
    let settle: Rc<RefCell<Option<(Function, Function)>>> = Rc::new(RefCell::new(None));
    let s = settle.clone();
    let promise = Promise::new(&mut |resolve, reject| {
        *s.borrow_mut() = Some((resolve, reject));
    });
    let on_time = settle.clone();
    let _timer = Timeout::new(ms, move || {
        if let Some((resolve, _)) = on_time.borrow().as_ref() {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    });
    let _listener = signal.map(|sig| {
        let on_abort = settle.clone();
        AbortListener::new(sig, move || {
            if let Some((_, reject)) = on_abort.borrow().as_ref() {
                let _ = reject.call0(&JsValue::UNDEFINED);
            }
        })
    });
    JsFuture::from(promise).await.map(|_| ()).map_err(|_| ())
}
