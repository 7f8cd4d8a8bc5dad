//! The licences an exhibitor can give a printable model: the three Creative Commons
//! licences model sites offer most, or all rights kept (then visitors see the model but
//! cannot take the file home).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum Licence {
    #[serde(rename = "cc-by-4.0")]
    CcBy,
    #[serde(rename = "cc-by-sa-4.0")]
    CcBySa,
    #[serde(rename = "cc0-1.0")]
    Cc0,
    #[serde(rename = "all-rights-reserved")]
    AllRightsReserved,
}

impl Licence {
    pub const ALL: [Licence; 4] = [
        Licence::CcBy,
        Licence::CcBySa,
        Licence::Cc0,
        Licence::AllRightsReserved,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Licence::CcBy => "cc-by-4.0",
            Licence::CcBySa => "cc-by-sa-4.0",
            Licence::Cc0 => "cc0-1.0",
            Licence::AllRightsReserved => "all-rights-reserved",
        }
    }

    pub fn parse(code: &str) -> Option<Licence> {
        Licence::ALL.into_iter().find(|l| l.code() == code.trim())
    }

    /// Whether visitors may download the file.
    pub fn allows_download(self) -> bool {
        self != Licence::AllRightsReserved
    }

    pub fn name_de(self) -> &'static str {
        match self {
            Licence::CcBy => "CC BY 4.0 (Namensnennung)",
            Licence::CcBySa => {
                "CC BY-SA 4.0 (Namensnennung, Weitergabe unter gleichen Bedingungen)"
            }
            Licence::Cc0 => "CC0 (gemeinfrei)",
            Licence::AllRightsReserved => "Alle Rechte vorbehalten",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Licence::CcBy => "CC BY 4.0 (attribution)",
            Licence::CcBySa => "CC BY-SA 4.0 (attribution, share alike)",
            Licence::Cc0 => "CC0 (public domain)",
            Licence::AllRightsReserved => "All rights reserved",
        }
    }

    pub fn url(self) -> Option<&'static str> {
        match self {
            Licence::CcBy => Some("https://creativecommons.org/licenses/by/4.0/"),
            Licence::CcBySa => Some("https://creativecommons.org/licenses/by-sa/4.0/"),
            Licence::Cc0 => Some("https://creativecommons.org/publicdomain/zero/1.0/"),
            Licence::AllRightsReserved => None,
        }
    }
}
