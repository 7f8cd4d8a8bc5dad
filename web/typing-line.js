// The line to type into, as a real text field over the 3D view (client/src/ui/page_line.rs):
// key events on the canvas miss what on-screen keyboards, input methods and pasting type
// (umlauts included), a text field gets all of it. The client opens it with a prompt, what was
// typed so far and the length limit; Enter (or the send button) hands the text back through
// `window.stadtlabTyped`, Esc hands back the cancel mark, and the canvas gets the keys again.

const CANCELLED = '\u001b'; // stadtlab_client::platform::PAGE_LINE_CANCELLED

export function installTypingLine(parent, canvas) {
  const form = Object.assign(document.createElement('form'), { id: 'typing-line', hidden: true });
  const label = Object.assign(document.createElement('label'), { htmlFor: 'typing-line-text' });
  const input = Object.assign(document.createElement('input'), {
    id: 'typing-line-text', type: 'text', autocomplete: 'off', enterKeyHint: 'send', spellcheck: true,
  });
  const send = Object.assign(document.createElement('button'), { type: 'submit', textContent: '➤' });
  send.setAttribute('aria-label', document.documentElement.lang === 'en' ? 'Send' : 'Senden');
  form.append(label, input, send);
  parent.appendChild(form);
  const done = (text) => {
    (window.stadtlabTyped ??= []).push(text);
    form.hidden = true;
    canvas.focus();
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); done(input.value); });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') { e.preventDefault(); done(CANCELLED); }
    // The 3D view's keys (walking, shortcuts) stay out of the text.
    e.stopPropagation();
  });
  window.stadtlabTyping = {
    open(prompt, text, max) {
      label.textContent = prompt;
      input.maxLength = max;
      input.value = text;
      form.hidden = false;
      input.focus();
      input.setSelectionRange(text.length, text.length);
    },
    close() {
      if (form.hidden) return;
      form.hidden = true;
      canvas.focus();
    },
  };
}
