//! The state machine definitions, built from the [`crate::model::Model`] with the ASL types of
//! [`super::ir`]: the connections machine (connect, disconnect, subscribe, unsubscribe) and the
//! delivery machine. Task resources are `${Name}` placeholders that the template's
//! `DefinitionSubstitutions` fill, so the `.asl.json` files are what the template embeds.

pub mod complexity;
pub mod connections;
pub mod deliverer;
pub mod delivery;
pub mod forget;
pub mod records;
pub mod states;
pub mod subscribe;
pub mod tasks;
