//! The gateway's HTML pages, rendered on the server and usable without JavaScript: the
//! upload page (the course's `index.html` and `info.html` in one), the workers page, and
//! the admin login page.
//!
//! Each page is a module with a `render` function; [`layout`] holds what they share (the
//! document around them, the navigation, escaping) and imports none of them. The handlers
//! in [`super`] call the pages; a page imports from the rest of the gateway only the data
//! it shows (a classification, the workers' statuses), never a handler.

pub mod layout;
pub mod login;
pub mod upload;
pub mod workers;
