//! German and English texts through Fluent (`locales/*.ftl`), German by default.

use bevy::prelude::*;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::langid;

use crate::settings::{Language, Settings};

pub struct I18nPlugin;

impl Plugin for I18nPlugin {
    fn build(&self, app: &mut App) {
        app.insert_resource(I18n::new());
    }
}

#[derive(Resource)]
pub struct I18n {
    de: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

fn bundle(lang: unic_langid::LanguageIdentifier, source: &str) -> FluentBundle<FluentResource> {
    let resource = FluentResource::try_new(source.to_owned()).expect("our .ftl files parse");
    let mut bundle = FluentBundle::new_concurrent(vec![lang]);
    // No Unicode isolation marks: Bevy's text would draw them as boxes.
    bundle.set_use_isolating(false);
    bundle
        .add_resource(resource)
        .expect("no duplicate message ids");
    bundle
}

impl Default for I18n {
    fn default() -> Self {
        Self::new()
    }
}

impl I18n {
    pub fn new() -> Self {
        Self {
            de: bundle(langid!("de"), include_str!("../locales/de.ftl")),
            en: bundle(langid!("en"), include_str!("../locales/en.ftl")),
        }
    }

    /// The text for `key`; the key itself if a translation is missing (visible, not fatal).
    pub fn text(&self, lang: Language, key: &str, args: &[(&str, FluentValue)]) -> String {
        let bundle = match lang {
            Language::German => &self.de,
            Language::English => &self.en,
        };
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            return key.to_owned();
        };
        let mut fargs = FluentArgs::new();
        for (k, v) in args {
            fargs.set(*k, v.clone());
        }
        let mut errors = Vec::new();
        bundle
            .format_pattern(pattern, Some(&fargs), &mut errors)
            .into_owned()
    }
}

/// Shorthand for systems: `t(&i18n, &settings, "key")`.
pub fn t(i18n: &I18n, settings: &Settings, key: &str) -> String {
    i18n.text(settings.language, key, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_every_message() {
        let ids = |src: &str| -> Vec<String> {
            src.lines()
                .filter(|l| !l.starts_with([' ', '#']) && l.contains(" = "))
                .map(|l| l.split(" = ").next().unwrap().to_owned())
                .collect()
        };
        let de = ids(include_str!("../locales/de.ftl"));
        let en = ids(include_str!("../locales/en.ftl"));
        assert_eq!(de, en);
        let i18n = I18n::new();
        for id in &de {
            assert!(i18n.de.has_message(id) && i18n.en.has_message(id), "{id}");
            let args = [
                "reason",
                "name",
                "text",
                "value",
                "on",
                "view",
                "title",
                "organisation",
                "url",
                "minutes",
                "by",
                "action",
                "client",
                "server",
                "reason",
                "place",
                "id",
                "title",
                "pages",
                "summary",
                "mode",
                "meter",
            ]
            .map(|k| (k, FluentValue::from("x")));
            let mut args = args.to_vec();
            args.push(("count", 2.into()));
            let text = i18n.text(Language::English, id, &args);
            assert!(
                !text.is_empty() && !text.contains("{"),
                "{id} resolves: {text}"
            );
        }
    }

    #[test]
    fn plurals_follow_the_language() {
        let i18n = I18n::new();
        let one = [("count", FluentValue::from(1))];
        assert_eq!(
            i18n.text(Language::German, "people-count", &one),
            "1 Person im Raum"
        );
        let many = [("count", FluentValue::from(5))];
        assert_eq!(
            i18n.text(Language::English, "people-count", &many),
            "5 people in the room"
        );
    }
}
