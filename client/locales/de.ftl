# stadtlab client, German (the default language)
status-offline = Vorschau ohne Verbindung
status-connecting = Verbinde ...
status-connected = Verbunden
status-closed = Verbindung beendet: { $reason }
people-count = { $count ->
    [one] 1 Person im Raum
   *[other] { $count } Personen im Raum
}
people-title = Personen im Raum
people-you = (Sie)
people-away = (abwesend)
chat-title = Chat
chat-hint = Enter: Nachricht schreiben
chat-typing = Nachricht: { $text }_
chat-joined = { $name } ist eingetreten.
chat-left = { $name } hat den Raum verlassen.
chat-refused-empty = Die Nachricht ist leer.
chat-refused-long = Die Nachricht ist zu lang.
chat-refused-control = Die Nachricht enthält unsichtbare Zeichen.
chat-refused-rate = Bitte etwas langsamer schreiben.
chat-refused-muted = Dein Chat wurde vom Team oder der Führung stummgeschaltet.
chat-refused-pupils = Die Führung hat den Chat für die Klasse ausgeschaltet.
chat-refused-busy = Der Chat ist gerade sehr voll. Bitte kurz warten.
settings-title = Einstellungen
settings-language = Sprache: Deutsch
settings-sensitivity = Mausempfindlichkeit: { $value }
settings-reduce-motion = Bewegung reduzieren: { $on }
settings-view = Ansicht: { $view }
settings-shadows = Schatten: { $on }
settings-smooth = Kantenglättung: { $on }
settings-profile = Name und Farbe ändern (neu eintreten)
settings-hint = Pfeiltasten hoch/runter wählen, links/rechts oder Enter ändern, Esc schließt
on = an
off = aus
view-first = Ich-Perspektive
view-third = Verfolger-Perspektive
help-title = Steuerung
help-body =
    W A S D oder Pfeiltasten: gehen · Umschalt: schneller gehen
    Pfeiltasten links/rechts: drehen · Maus ziehen: umsehen (rechte Taste: Zeiger fangen)
    Klick auf den Boden: dorthin gehen · E oder Klick auf ein Exponat: genau ansehen
    Touch: Joystick links unten, rechts wischen zum Umsehen, tippen zum Hingehen
    Enter: Chat · P: Personen · O: Einstellungen · V: Ansicht · F1 oder H: Hilfe · Esc: schließen
help-close = Esc oder F1 schließt diese Hilfe.
button-chat = Chat
button-people = Personen
button-settings = Einstellungen
button-help = Hilfe
exhibit-near = E: „{ $title }“ ansehen
exhibit-by = von { $organisation }
exhibit-link = Mehr dazu: { $url }
exhibit-controls = Ziehen oder Pfeiltasten: drehen · Mausrad oder +/-: zoomen · R: zurücksetzen · Esc oder E: schließen
exhibit-reset = Zurücksetzen
exhibit-close = Schließen
exhibit-open-link = Link öffnen
