//! Writes a value's fields as YAML lines (`<indent><Key>: <value>`), straight from its
//! `Serialize` implementation: the template is written without first building a
//! `serde_json::Value` tree of it, which cost more than writing the text.
//!
//! [`push_fields`] accepts structs and maps; [`push_value`] writes one value on one line, as
//! a plain scalar when a string reads back unchanged, else as JSON (see `yaml.rs`).

use std::fmt;

use serde::ser::{self, Impossible, Serialize, SerializeMap, SerializeStruct, Serializer};

use super::yaml_scalar::{push_json, push_key, push_string};

/// Why a value is not written by the serializer at hand; the caller falls back.
#[derive(Debug)]
pub(crate) struct Unsupported;

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not supported here")
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Unsupported
    }
}

/// Writes `value` on one line: a string plain or quoted, anything else as JSON.
pub(crate) fn push_value<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    if value.serialize(StrWriter(out)).is_err() {
        push_json(out, value);
    }
}

/// Writes each field of `value` (a struct or map) as `<indent><Key>: <value>`, except the
/// field named `expand`, written as `<indent><Key>:` with its own fields indented two more
/// spaces (or `{}` when it has none). Returns how many fields it wrote; `None` when `value`
/// is not a struct or map.
pub(crate) fn push_fields<T: Serialize + ?Sized>(
    out: &mut Vec<u8>,
    indent: &str,
    expand: Option<&str>,
    value: &T,
) -> Option<usize> {
    let start = out.len();
    let written = value.serialize(Fields {
        out,
        indent,
        expand,
        count: 0,
        key: None,
    });
    if written.is_err() {
        out.truncate(start);
    }
    written.ok()
}

/// The fields writer (see [`push_fields`]).
struct Fields<'a> {
    out: &'a mut Vec<u8>,
    indent: &'a str,
    expand: Option<&'a str>,
    count: usize,
    key: Option<String>,
}

impl Fields<'_> {
    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        self.count += 1;
        self.out.extend_from_slice(self.indent.as_bytes());
        push_key(self.out, key);
        if self.expand == Some(key) {
            self.out.extend_from_slice(b":\n");
            let start = self.out.len();
            let inner = format!("{}  ", self.indent);
            if push_fields(self.out, &inner, None, value).is_some_and(|n| n > 0) {
                return;
            }
            // No fields (or not a struct): on the key's own line, as JSON.
            self.out.truncate(start - 1);
        }
        self.out.extend_from_slice(b": ");
        push_value(self.out, value);
        self.out.push(b'\n');
    }
}

impl SerializeStruct for Fields<'_> {
    type Ok = usize;
    type Error = Unsupported;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        self.field(key, value);
        Ok(())
    }

    fn end(self) -> Result<usize, Unsupported> {
        Ok(self.count)
    }
}

impl SerializeMap for Fields<'_> {
    type Ok = usize;
    type Error = Unsupported;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Unsupported> {
        self.key = Some(key.serialize(StrProbe)?);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        let key = self.key.take().ok_or(Unsupported)?;
        self.field(&key, value);
        Ok(())
    }

    fn end(self) -> Result<usize, Unsupported> {
        Ok(self.count)
    }
}

/// Generates the methods of a serializer that only takes one kind of value: each listed
/// method refuses with [`Unsupported`].
macro_rules! refuse {
    ($($method:ident($($arg:ty),*) -> $ret:ty;)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<$ret, Unsupported> { Err(Unsupported) })*
    };
}

/// Methods every serializer here refuses: scalars other than strings and every compound
/// form but structs and maps.
macro_rules! refuse_all_but_str {
    () => {
        refuse! {
            serialize_bool(bool) -> Self::Ok;
            serialize_i8(i8) -> Self::Ok;
            serialize_i16(i16) -> Self::Ok;
            serialize_i32(i32) -> Self::Ok;
            serialize_i64(i64) -> Self::Ok;
            serialize_u8(u8) -> Self::Ok;
            serialize_u16(u16) -> Self::Ok;
            serialize_u32(u32) -> Self::Ok;
            serialize_u64(u64) -> Self::Ok;
            serialize_f32(f32) -> Self::Ok;
            serialize_f64(f64) -> Self::Ok;
            serialize_char(char) -> Self::Ok;
            serialize_bytes(&[u8]) -> Self::Ok;
            serialize_none() -> Self::Ok;
            serialize_unit() -> Self::Ok;
            serialize_unit_struct(&'static str) -> Self::Ok;
            serialize_unit_variant(&'static str, u32, &'static str) -> Self::Ok;
            serialize_seq(Option<usize>) -> Self::SerializeSeq;
            serialize_tuple(usize) -> Self::SerializeTuple;
            serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
            serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
            serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
        }

        fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Self::Ok, Unsupported> {
            value.serialize(self)
        }

        fn serialize_newtype_struct<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            value: &T,
        ) -> Result<Self::Ok, Unsupported> {
            value.serialize(self)
        }

        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<Self::Ok, Unsupported> {
            Err(Unsupported)
        }
    };
}

impl<'a> Serializer for Fields<'a> {
    type Ok = usize;
    type Error = Unsupported;
    type SerializeSeq = Impossible<usize, Unsupported>;
    type SerializeTuple = Impossible<usize, Unsupported>;
    type SerializeTupleStruct = Impossible<usize, Unsupported>;
    type SerializeTupleVariant = Impossible<usize, Unsupported>;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<usize, Unsupported>;

    refuse_all_but_str!();

    fn serialize_str(self, _: &str) -> Result<usize, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self, Unsupported> {
        Ok(self)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Unsupported> {
        Ok(self)
    }
}

/// Writes a string (reached through `Option`s and newtypes) as [`push_string`] does, and
/// refuses everything else without writing: tells a string value from the others without
/// rendering it first.
struct StrWriter<'a>(&'a mut Vec<u8>);

impl Serializer for StrWriter<'_> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Impossible<(), Unsupported>;
    type SerializeTuple = Impossible<(), Unsupported>;
    type SerializeTupleStruct = Impossible<(), Unsupported>;
    type SerializeTupleVariant = Impossible<(), Unsupported>;
    type SerializeMap = Impossible<(), Unsupported>;
    type SerializeStruct = Impossible<(), Unsupported>;
    type SerializeStructVariant = Impossible<(), Unsupported>;

    refuse_all_but_str!();

    fn serialize_str(self, s: &str) -> Result<(), Unsupported> {
        push_string(self.0, s);
        Ok(())
    }

    refuse! {
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct(&'static str, usize) -> Self::SerializeStruct;
    }
}

/// Takes a string (through `Option`s and newtypes) and refuses everything else: a map's key
/// as text.
struct StrProbe;

impl Serializer for StrProbe {
    type Ok = String;
    type Error = Unsupported;
    type SerializeSeq = Impossible<String, Unsupported>;
    type SerializeTuple = Impossible<String, Unsupported>;
    type SerializeTupleStruct = Impossible<String, Unsupported>;
    type SerializeTupleVariant = Impossible<String, Unsupported>;
    type SerializeMap = Impossible<String, Unsupported>;
    type SerializeStruct = Impossible<String, Unsupported>;
    type SerializeStructVariant = Impossible<String, Unsupported>;

    refuse_all_but_str!();

    fn serialize_str(self, s: &str) -> Result<String, Unsupported> {
        Ok(s.to_owned())
    }

    refuse! {
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct(&'static str, usize) -> Self::SerializeStruct;
    }
}
