//! [`View`]: read access to an event, so that one evaluator ([`super::matcher`]) serves both
//! parsed `serde_json::Value` events and the pruned events of [`super::set`]'s byte scanner.

use serde_json::Value;

use super::scalar::Scalar;

/// A position in an event: an object, an array or a scalar.
pub(crate) trait View<'e>: Copy {
    /// The members of an object, in document order.
    type Entries: Iterator<Item = (&'e str, Self)>;
    /// The elements of an array.
    type Items: ExactSizeIterator<Item = Self>;

    /// The member `key` of an object (the last one when the key is repeated); `None` for
    /// anything else.
    fn get(self, key: &str) -> Option<Self>;
    /// The members, when this is an object.
    fn entries(self) -> Option<Self::Entries>;
    /// The elements, when this is an array.
    fn items(self) -> Option<Self::Items>;
    /// The value, when this is a scalar.
    fn scalar(self) -> Option<Scalar<'e>>;
}

type EntryFn<'e> = fn((&'e String, &'e Value)) -> (&'e str, &'e Value);

impl<'e> View<'e> for &'e Value {
    type Entries = std::iter::Map<serde_json::map::Iter<'e>, EntryFn<'e>>;
    type Items = std::slice::Iter<'e, Value>;

    fn get(self, key: &str) -> Option<Self> {
        let map = self.as_object()?;
        // Event objects are small, where comparing keys beats hashing the key.
        if map.len() <= 16 {
            map.iter().find(|(k, _)| k.as_str() == key).map(|(_, v)| v)
        } else {
            map.get(key)
        }
    }

    fn entries(self) -> Option<Self::Entries> {
        let entry: EntryFn<'e> = |(k, v)| (k.as_str(), v);
        self.as_object().map(|map| map.iter().map(entry))
    }

    fn items(self) -> Option<Self::Items> {
        self.as_array().map(|items| items.iter())
    }

    fn scalar(self) -> Option<Scalar<'e>> {
        Scalar::of(self)
    }
}
