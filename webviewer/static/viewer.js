// The browser viewer's page. The viewer itself (the RFB client, the X
// server, drawing) is Go compiled to WebAssembly; this script loads it and
// hands it the page's events, and shows what it reports.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const token = params.get('token') || '';
  const q = '?token=' + encodeURIComponent(token);
  const canvas = $('canvas');
  const screenEl = $('screen');
  let info = null;
  let connected = false;
  let remoteClip = '';
  let display = '';

  function status(text) { $('status').textContent = text; }
  function message(text) {
    $('msgtext').textContent = text;
    $('message').hidden = false;
  }

  // What the viewer calls back.
  const ui = {
    status: status,
    connected(mode, target) {
      connected = true;
      status(mode === 'x11' ? display : 'Connected to ' + target);
    },
    closed(text, askPassword) {
      connected = false;
      status('Disconnected');
      if (askPassword) $('password').hidden = false;
      message(text);
    },
    stats(json) {
      $('stats').hidden = !$('showstats').checked;
      if ($('stats').hidden) return;
      const s = JSON.parse(json);
      const rate = (n) => n >= 1e6 ? (n / 1e6).toFixed(2) + ' MB/s' : (n / 1e3).toFixed(1) + ' kB/s';
      const total = (n) => n >= 1e6 ? (n / 1e6).toFixed(2) + ' MB' : (n / 1e3).toFixed(1) + ' kB';
      const lat = s.input_latency_ns ? (s.input_latency_ns / 1e6).toFixed(1) + ' ms' : '-';
      $('stats').textContent = [
        (s.mode === 'x11' ? 'X11: the page is ' : 'RFB: ') + s.target,
        'in   ' + rate(s.bytes_in_per_sec).padStart(12) + '  total ' + total(s.bytes_in),
        'out  ' + rate(s.bytes_out_per_sec).padStart(12) + '  total ' + total(s.bytes_out),
        s.update_kind + '/s ' + s.updates_per_sec.toFixed(1) + '  total ' + s.updates,
        'input latency ' + lat,
        'screen ' + s.size.X + 'x' + s.size.Y,
      ].join('\n');
    },
    cursor(url, x, y) {
      canvas.style.cursor = url ? 'url(' + url + ') ' + x + ' ' + y + ', auto' : 'default';
    },
    clipboard(text) {
      remoteClip = text;
      $('copy').disabled = !text;
      // Browsers allow this only to a focused page; the Copy button is
      // there for when they refuse.
      if (text && navigator.clipboard && document.hasFocus()) {
        navigator.clipboard.writeText(text).catch(() => {});
      }
    },
    display(name, endpoints) {
      display = 'This page is display ' + name + ' (' + endpoints + '): try DISPLAY=' + name + ' xlogo';
    },
  };

  function connect() {
    $('message').hidden = true;
    if (!window.netdisplay) return;
    const mode = $('mode').value;
    $('encoding').hidden = mode !== 'rfb';
    if (mode !== 'rfb') $('password').hidden = true;
    else if (info && info.rfb_password) $('password').hidden = false;
    connected = false;
    status('Connecting...');
    const r = screenEl.getBoundingClientRect();
    const err = window.netdisplay.connect({
      mode: mode,
      base: (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host,
      token: token,
      password: $('password').value,
      encodings: $('enc').value,
      width: Math.floor(r.width),
      height: Math.floor(r.height),
      canvas: canvas,
      ui: ui,
    });
    if (err) message(err);
    canvas.focus();
  }

  // Where the pointer is on the framebuffer.
  function pos(e) {
    const r = canvas.getBoundingClientRect();
    return [Math.floor((e.clientX - r.left) * canvas.width / r.width),
      Math.floor((e.clientY - r.top) * canvas.height / r.height)];
  }

  function inForm(e) {
    return e.target && ['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON'].includes(e.target.tagName);
  }

  function keyEvent(down) {
    return (e) => {
      if (!connected || inForm(e) || e.isComposing) return;
      // Ctrl+V goes to the display too, but the browser must see it to
      // fire the paste event that brings the page's clipboard along.
      const paste = down && (e.ctrlKey || e.metaKey) && (e.key === 'v' || e.key === 'V');
      if (window.netdisplay.key(e.key, e.code, e.location, down) && !paste) e.preventDefault();
    };
  }
  window.addEventListener('keydown', keyEvent(true));
  window.addEventListener('keyup', keyEvent(false));
  window.addEventListener('blur', () => window.netdisplay && window.netdisplay.blur());

  function pointer(kind) {
    return (e) => {
      if (!connected) return;
      if (kind === 'down') {
        canvas.focus();
        canvas.setPointerCapture(e.pointerId);
      }
      const [x, y] = pos(e);
      window.netdisplay.pointer(x, y, kind, kind === 'move' ? -1 : e.button);
      e.preventDefault();
    };
  }
  canvas.addEventListener('pointerdown', pointer('down'));
  canvas.addEventListener('pointerup', pointer('up'));
  canvas.addEventListener('pointermove', pointer('move'));
  canvas.addEventListener('contextmenu', (e) => e.preventDefault());
  canvas.addEventListener('wheel', (e) => {
    if (!connected) return;
    const [x, y] = pos(e);
    window.netdisplay.wheel(x, y, e.deltaX, e.deltaY, e.deltaMode);
    e.preventDefault();
  }, { passive: false });

  document.addEventListener('paste', (e) => {
    if (!connected || inForm(e)) return;
    const text = e.clipboardData && e.clipboardData.getData('text/plain');
    if (text) window.netdisplay.paste(text);
    e.preventDefault();
  });
  $('copy').addEventListener('click', () => {
    if (navigator.clipboard) navigator.clipboard.writeText(remoteClip).catch((err) => status('Copy refused: ' + err));
  });

  // In X mode the screen follows the window, once it has stopped moving.
  let resizing = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizing);
    resizing = setTimeout(() => {
      if (!connected || $('mode').value !== 'x11') return;
      const r = screenEl.getBoundingClientRect();
      window.netdisplay.resize(Math.floor(r.width), Math.floor(r.height));
    }, 250);
  });

  $('showstats').addEventListener('change', () => { $('stats').hidden = !$('showstats').checked; });
  $('connect').addEventListener('click', connect);
  $('reconnect').addEventListener('click', connect);
  $('mode').addEventListener('change', () => {
    params.set('mode', $('mode').value);
    history.replaceState(null, '', '?' + params.toString());
    connect();
  });
  $('enc').addEventListener('change', connect);
  $('password').addEventListener('keydown', (e) => { if (e.key === 'Enter') connect(); });

  // Ask what this server offers (and whether the token is right), then
  // load the viewer; it calls netdisplayReady when it is listening.
  async function start() {
    const resp = await fetch('info' + q, { cache: 'no-store' });
    if (resp.status === 403) {
      status('Not connected');
      message('This page needs the token that netdisplay serve printed: open the whole URL from its "web=" field.');
      return;
    }
    if (!resp.ok) throw new Error('info: ' + resp.status);
    info = await resp.json();
    const mode = $('mode');
    mode.options[0].disabled = !info.rfb;
    mode.options[1].disabled = !info.display;
    mode.value = params.get('mode') === 'x11' || !info.rfb ? 'x11' : 'rfb';
    if (params.get('encodings')) {
      const enc = $('enc');
      enc.value = params.get('encodings');
      if (enc.value !== params.get('encodings')) enc.value = '';
    }
    window.netdisplayReady = connect;
    const go = new Go();
    const wasm = await WebAssembly.instantiateStreaming(fetch('main.wasm'), go.importObject);
    go.run(wasm.instance).then(() => message('The viewer stopped; the browser console says why. Reload the page.'));
  }
  start().catch((err) => {
    status('Not connected');
    message('Cannot start the viewer: ' + err);
  });
})();
