//! Emission: from a valid [`Model`] to every artifact. Infallible by construction: the model
//! guarantees what the emitters rely on.

pub mod diagram;
pub mod flows;
pub mod ir;
pub mod jsonata;
pub mod stack;

use std::path::PathBuf;

use crate::model::Model;
use flows::{connections, deliverer, delivery};
use stack::parts::{DeliveryParts, Parts};
use stack::{mapping, template};

/// Output format of the template.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// `template.yaml`.
    #[default]
    Yaml,
    /// `template.json`.
    Json,
}

/// A generated state machine.
#[derive(Clone, Debug)]
pub struct Machine {
    /// File stem and role: `connections`, `delivery` or `deliverer`.
    pub name: String,
    /// The ASL definition.
    pub definition: ir::asl::Definition,
    /// The definition as compact JSON, as the template embeds it (rendered once: the
    /// template, the quota check and the file all need it).
    pub compact: String,
}

impl Machine {
    fn new(name: &str, definition: ir::asl::Definition) -> Self {
        let compact = serde_json::to_string(&definition).expect("ASL serializes");
        Machine {
            name: name.to_owned(),
            definition,
            compact,
        }
    }
}

/// Everything a build writes, in memory.
#[derive(Clone, Debug)]
pub struct Artifacts {
    /// The CloudFormation template.
    pub template: ir::cfn::Template,
    /// State machines, in file order.
    pub machines: Vec<Machine>,
    /// Mapping templates.
    pub mappings: Vec<mapping::Mapping>,
    /// Diagrams: the stack, then each state machine in file order.
    pub diagrams: Vec<diagram::Diagram>,
}

/// Generates every artifact of `model`.
pub fn emit(model: &Model) -> Artifacts {
    let connections = model
        .has_connections_machine()
        .then(|| Machine::new("connections", connections::definition(model)));
    let delivery = (!model.rules.is_empty()).then(|| {
        (
            Machine::new("delivery", delivery::definition(model)),
            Machine::new("deliverer", deliverer::definition(model)),
        )
    });
    let route_mappings: Vec<_> = model
        .routes
        .iter()
        .map(|r| mapping::route_mappings(model, r))
        .collect();
    let template = template::template(
        model,
        &Parts {
            connections: connections.as_ref().map(|c| c.compact.as_str()),
            delivery: delivery.as_ref().map(|(pager, deliverer)| DeliveryParts {
                pager: &pager.compact,
                deliverer: &deliverer.compact,
            }),
            mappings: &route_mappings,
        },
    );
    let mut machines: Vec<Machine> = connections.into_iter().collect();
    if let Some((pager, deliverer)) = delivery {
        machines.extend([pager, deliverer]);
    }
    let mappings = route_mappings
        .into_iter()
        .flat_map(|m| std::iter::once(m.request).chain(m.response))
        .collect();
    let diagrams = diagrams(model, &template, &machines);
    Artifacts {
        template,
        machines,
        mappings,
        diagrams,
    }
}

/// The stack diagram and one diagram per state machine.
fn diagrams(
    model: &Model,
    template: &ir::cfn::Template,
    machines: &[Machine],
) -> Vec<diagram::Diagram> {
    let stack = diagram::Diagram {
        file: "stack.mmd".to_owned(),
        text: diagram::stack(model, template),
    };
    let machines = machines.iter().map(|m| diagram::Diagram {
        file: format!("{}.mmd", m.name),
        text: diagram::machine(&m.name, &m.definition),
    });
    std::iter::once(stack).chain(machines).collect()
}

impl Artifacts {
    /// The template text in `format`.
    pub fn template_text(&self, format: Format) -> String {
        match format {
            Format::Yaml => ir::yaml::template_yaml(&self.template),
            Format::Json => ir::json::template_json(
                &serde_json::to_value(&self.template).expect("templates serialize"),
            ),
        }
    }

    /// Every file to write, as (path relative to the output folder, bytes), in a fixed order;
    /// the template comes first.
    pub fn files(&self, format: Format) -> Vec<(PathBuf, Vec<u8>)> {
        let name = match format {
            Format::Yaml => "template.yaml",
            Format::Json => "template.json",
        };
        let mut files = vec![(PathBuf::from(name), self.template_text(format).into_bytes())];
        for Machine {
            name: stem,
            definition,
            ..
        } in &self.machines
        {
            let mut text = serde_json::to_string_pretty(definition).expect("ASL serializes");
            text.push('\n');
            files.push((
                PathBuf::from("statemachines").join(format!("{stem}.asl.json")),
                text.into_bytes(),
            ));
        }
        for m in &self.mappings {
            files.push((
                PathBuf::from("mappings").join(&m.file),
                m.text.clone().into_bytes(),
            ));
        }
        for d in &self.diagrams {
            files.push((
                PathBuf::from("diagrams").join(&d.file),
                d.text.clone().into_bytes(),
            ));
        }
        files
    }
}
