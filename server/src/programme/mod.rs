//! The programme of talks: the clock that opens and closes talk mode in a talk's room, and
//! the feeds other software reads (iCal for calendars, the frab/pretalx schedule JSON for
//! conference tools and other towns' sites).

pub mod clock;
pub mod ical;
pub mod schedule;
