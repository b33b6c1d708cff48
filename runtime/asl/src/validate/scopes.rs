//! Where each workflow variable can be read: a reference (`$name` in a JSONata
//! expression, a JSONPath path or an intrinsic argument) must be reached by an `Assign`
//! of that name on some path from `StartAt`, in the same scope or an enclosing one.
//!
//! Scopes, as AWS runs them: the definition's top-level states share one scope; each
//! Parallel branch and each Map iteration has its own, which reads the variables of the
//! enclosing scopes as they were when the Parallel or Map state was entered (the
//! state's own `Assign` takes effect after it); what a branch or iteration assigns is not
//! visible after it; a Distributed Map's item processor reads no outer variable at all.
//! An `Assign` takes effect when its state is left, along the transition it belongs to
//! (the state's own with `Next` and a Choice `Default`, a Choice rule's with its `Next`,
//! a catcher's with its `Next`), so a state does not read what it assigns itself except
//! through a loop.
//!
//! AWS accepts a definition that reads an unassigned variable and fails the execution
//! when the state runs, so these are warnings (`UNDEFINED_VARIABLE`), one per field and
//! name, for the states reachable from `StartAt`.
//!
//! [`Vars`] is filled while the states are checked (each check records the references
//! of the field it checks into the state being checked) and analysed at the end.

use super::codes;
use super::context::Ctx;
use super::reachability::StateSummary;
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet, VecDeque};

/// The variable facts of a definition, machine by machine.
#[derive(Debug, Default)]
pub(crate) struct Vars {
    machines: Vec<Machine>,
    /// The state being checked, innermost last: (machine, state index).
    current: Vec<(usize, usize)>,
}

/// One `StartAt` + `States` block.
#[derive(Debug, Default)]
struct Machine {
    /// The enclosing machine, for a branch or an item processor.
    parent: Option<usize>,
    /// A Distributed Map's item processor: reads no outer variable.
    distributed: bool,
    /// The index of `StartAt`'s state, when it names one.
    start: Option<usize>,
    states: Vec<StateVars>,
    /// Every variable an `Assign` of this machine's states sets (terminal states and
    /// catchers included).
    assigned: HashSet<String>,
}

#[derive(Debug, Default)]
struct StateVars {
    /// (variable, pointer of the field reading it).
    refs: Vec<(String, String)>,
    /// Transitions: (target state index, variables assigned on the way).
    edges: Vec<(usize, Vec<String>)>,
    /// Machines nested in this state (Parallel branches, Map item processor).
    children: Vec<usize>,
}

impl Vars {
    /// Opens a machine of `states` states, nested in the state being checked if any;
    /// returns its id.
    pub(crate) fn open_machine(&mut self, states: usize, distributed: bool) -> usize {
        let id = self.machines.len();
        let parent = self.current.last().copied();
        if let Some((m, s)) = parent {
            self.machines[m].states[s].children.push(id);
        }
        self.machines.push(Machine {
            parent: parent.map(|(m, _)| m),
            distributed,
            start: None,
            states: (0..states).map(|_| StateVars::default()).collect(),
            assigned: HashSet::new(),
        });
        id
    }

    /// The checks that follow belong to state `index` of `machine`.
    pub(crate) fn enter_state(&mut self, machine: usize, index: usize) {
        self.current.push((machine, index));
    }

    /// Back to the enclosing state.
    pub(crate) fn exit_state(&mut self) {
        self.current.pop();
    }

    /// An `Assign` of the state being checked sets `names`.
    pub(crate) fn assigns(&mut self, names: Vec<String>) {
        if let Some(&(m, _)) = self.current.last() {
            if let Some(machine) = self.machines.get_mut(m) {
                machine.assigned.extend(names);
            }
        }
    }

    /// The state being checked reads variable `name` in the field at `ptr`.
    pub(crate) fn reference(&mut self, name: &str, ptr: &str) {
        if let Some(&(m, s)) = self.current.last() {
            if let Some(state) = self.machines.get_mut(m).and_then(|m| m.states.get_mut(s)) {
                state.refs.push((name.to_string(), ptr.to_string()));
            }
        }
    }

    /// Records `machine`'s graph once its states are checked: `states` and `summaries`
    /// in the same order.
    pub(crate) fn close_machine(
        &mut self,
        machine: usize,
        start_at: Option<&str>,
        states: &Map<String, Value>,
        summaries: &[StateSummary],
    ) {
        let positions: HashMap<&str, usize> = states
            .keys()
            .enumerate()
            .map(|(i, k)| (k.as_str(), i))
            .collect();
        let Some(m) = self.machines.get_mut(machine) else {
            return;
        };
        m.start = start_at.and_then(|s| positions.get(s).copied());
        for (state, summary) in m.states.iter_mut().zip(summaries) {
            state.edges = summary
                .transitions
                .iter()
                .filter_map(|t| {
                    let target = positions.get(t.target.as_str())?;
                    Some((*target, t.assigns.clone()))
                })
                .collect();
        }
    }

    /// Reports every reference no `Assign` can reach, as `UNDEFINED_VARIABLE` warnings.
    pub(crate) fn report(self, ctx: &mut Ctx) {
        let Some(top) = self.machines.first() else {
            return;
        };
        debug_assert!(top.parent.is_none());
        let analysis = Analysis::new(&self.machines);
        let mut seen: HashSet<(&str, &str)> = HashSet::new();
        let mut queue: VecDeque<(usize, Bits)> = VecDeque::from([(0, analysis.empty())]);
        while let Some((m, outer)) = queue.pop_front() {
            let machine = &self.machines[m];
            let entry = analysis.flow(machine, outer);
            for (state, entry) in machine.states.iter().zip(&entry) {
                let Some(entry) = entry else {
                    continue; // unreachable: reported as such already
                };
                for (name, ptr) in &state.refs {
                    if analysis.is_set(entry, name) || !seen.insert((name, ptr)) {
                        continue;
                    }
                    ctx.warning(
                        codes::UNDEFINED_VARIABLE,
                        ptr.as_str(),
                        analysis.why_unassigned(&self.machines, m, name),
                    );
                }
                for &child in &state.children {
                    let inherited = if self.machines[child].distributed {
                        analysis.empty()
                    } else {
                        entry.clone()
                    };
                    queue.push_back((child, inherited));
                }
            }
        }
    }
}

/// A set of tracked variable names, one bit each.
type Bits = Vec<u64>;

/// Names read somewhere and assigned somewhere (no other name can be in a set).
struct Analysis<'a> {
    ids: HashMap<&'a str, usize>,
    words: usize,
    /// Names assigned by the states of each machine.
    assigned_in: Vec<HashSet<&'a str>>,
}

impl<'a> Analysis<'a> {
    fn new(machines: &'a [Machine]) -> Self {
        let assigned_in: Vec<HashSet<&str>> = machines
            .iter()
            .map(|m| m.assigned.iter().map(String::as_str).collect())
            .collect();
        let mut ids = HashMap::new();
        for m in machines {
            for (name, _) in m.states.iter().flat_map(|s| &s.refs) {
                let assigned = assigned_in.iter().any(|set| set.contains(name.as_str()));
                if assigned && !ids.contains_key(name.as_str()) {
                    ids.insert(name.as_str(), ids.len());
                }
            }
        }
        let words = ids.len().div_ceil(64);
        Analysis {
            ids,
            words,
            assigned_in,
        }
    }

    fn empty(&self) -> Bits {
        vec![0; self.words]
    }

    fn is_set(&self, bits: &Bits, name: &str) -> bool {
        self.ids
            .get(name)
            .is_some_and(|&i| bits.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0))
    }

    fn set(&self, bits: &mut Bits, name: &str) {
        if let Some(&i) = self.ids.get(name) {
            if let Some(w) = bits.get_mut(i / 64) {
                *w |= 1 << (i % 64);
            }
        }
    }

    /// The variables that may be set when each state of `machine` is entered (`None`
    /// for a state `StartAt` does not reach), given those of the enclosing scope.
    fn flow(&self, machine: &Machine, outer: Bits) -> Vec<Option<Bits>> {
        let mut entry: Vec<Option<Bits>> = vec![None; machine.states.len()];
        let Some(start) = machine.start else {
            return entry;
        };
        entry[start] = Some(outer);
        let mut queue = VecDeque::from([start]);
        let mut queued = vec![false; machine.states.len()];
        queued[start] = true;
        while let Some(i) = queue.pop_front() {
            queued[i] = false;
            let Some(here) = entry[i].clone() else {
                continue;
            };
            for (target, names) in &machine.states[i].edges {
                let mut out = here.clone();
                for name in names {
                    self.set(&mut out, name);
                }
                let changed = match &mut entry[*target] {
                    Some(existing) => {
                        let mut changed = false;
                        for (e, o) in existing.iter_mut().zip(&out) {
                            changed |= *e | o != *e;
                            *e |= o;
                        }
                        changed
                    }
                    slot @ None => {
                        *slot = Some(out);
                        true
                    }
                };
                if changed && !queued[*target] {
                    queued[*target] = true;
                    queue.push_back(*target);
                }
            }
        }
        entry
    }

    /// Why `name`, read in machine `m`, has no value there.
    fn why_unassigned(&self, machines: &[Machine], m: usize, name: &str) -> String {
        if !self.assigned_in.iter().any(|set| set.contains(name)) {
            return format!(
                "Variable '${name}' is never assigned: no 'Assign' in the state machine sets it"
            );
        }
        // The machines whose variables `m` reads, then those beyond a Distributed Map.
        let mut visible = true;
        let mut beyond_distributed = false;
        let mut at = Some(m);
        while let Some(i) = at {
            if self.assigned_in[i].contains(name) {
                if visible {
                    return format!(
                        "Variable '${name}' is not assigned on any path that reaches this state"
                    );
                }
                beyond_distributed = true;
            }
            if machines[i].distributed {
                visible = false;
            }
            at = machines[i].parent;
        }
        if beyond_distributed {
            format!(
                "Variable '${name}' belongs to a scope outside this Distributed Map, whose item processor cannot read outer variables"
            )
        } else {
            format!(
                "Variable '${name}' is assigned only inside a Parallel branch or Map iteration that does not enclose this state, and such variables are not visible outside it"
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::validate;
    use serde_json::{json, Value};

    /// (location, message) of the `UNDEFINED_VARIABLE` warnings.
    fn undefined(definition: &Value) -> Vec<(String, String)> {
        validate(definition)
            .into_iter()
            .filter(|d| d.code == "UNDEFINED_VARIABLE")
            .map(|d| (d.location, d.message))
            .collect()
    }

    fn locations(definition: &Value) -> Vec<String> {
        undefined(definition).into_iter().map(|(l, _)| l).collect()
    }

    #[test]
    fn assigned_before_is_fine_after_is_not() {
        let d = json!({"QueryLanguage": "JSONata", "StartAt": "A", "States": {
            "A": {"Type": "Pass", "Output": "{% $late %}", "Assign": {"early": 1}, "Next": "B"},
            "B": {"Type": "Pass", "Output": "{% $early + $late %}", "Assign": {"late": 2}, "End": true}}});
        assert_eq!(locations(&d), ["/States/A/Output", "/States/B/Output"]);
    }

    #[test]
    fn a_loop_carries_assignments_back() {
        let d = json!({"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Parameters": {"n.$": "$counter"}, "Assign": {"counter": 1}, "Next": "C"},
            "C": {"Type": "Choice", "Choices": [{"Variable": "$counter", "NumericLessThan": 3, "Next": "A"}],
                  "Default": "Done"},
            "Done": {"Type": "Succeed"}}});
        assert!(locations(&d).is_empty(), "{:?}", undefined(&d));
    }

    #[test]
    fn branch_variables_stay_in_the_branch() {
        let d = json!({"QueryLanguage": "JSONata", "StartAt": "Before", "States": {
            "Before": {"Type": "Pass", "Assign": {"outer": 1}, "Next": "P"},
            "P": {"Type": "Parallel", "Assign": {"after": "{% $outer %}"}, "Next": "Use",
                  "Branches": [{"StartAt": "B", "States": {
                      "B": {"Type": "Pass", "Assign": {"inner": "{% $outer %}"}, "Next": "B2"},
                      "B2": {"Type": "Pass", "Output": "{% $inner + $after %}", "End": true}}}]},
            "Use": {"Type": "Pass", "Output": "{% $after + $inner %}", "End": true}}});
        let found = undefined(&d);
        let at: Vec<&str> = found.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(
            at,
            [
                "/States/Use/Output",
                "/States/P/Branches/0/States/B2/Output"
            ],
            "{found:?}"
        );
        assert!(
            found[0].1.contains("only inside a Parallel"),
            "{}",
            found[0].1
        );
        assert!(
            found[1].1.contains("not assigned on any path"),
            "{}",
            found[1].1
        );
    }

    #[test]
    fn a_distributed_map_reads_no_outer_variable() {
        let processor = |mode: &str| {
            json!({"ProcessorConfig": {"Mode": mode, "ExecutionType": "STANDARD"},
                   "StartAt": "Work", "States": {"Work": {"Type": "Pass", "Output": "{% $limit %}", "End": true}}})
        };
        let d = |mode: &str| {
            json!({"QueryLanguage": "JSONata", "StartAt": "Set", "States": {
                "Set": {"Type": "Pass", "Assign": {"limit": 3}, "Next": "M"},
                "M": {"Type": "Map", "ItemProcessor": processor(mode), "End": true}}})
        };
        assert!(locations(&d("INLINE")).is_empty());
        let found = undefined(&d("DISTRIBUTED"));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "/States/M/ItemProcessor/States/Work/Output");
        assert!(found[0].1.contains("Distributed Map"), "{}", found[0].1);
    }

    #[test]
    fn choice_and_catch_assign_along_their_own_transitions() {
        let d = json!({"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "C",
                  "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed", "Assign": {"err.$": "$.Error"}}]},
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "Yes", "Assign": {"rule": 1}}],
                  "Default": "No", "Assign": {"default": 1}},
            "Yes": {"Type": "Pass", "Parameters": {"a.$": "$rule", "b.$": "$default", "c.$": "$err"}, "End": true},
            "No": {"Type": "Pass", "Parameters": {"a.$": "States.Format('{} {}', $default, $rule)"}, "End": true},
            "Failed": {"Type": "Fail", "CausePath": "$err"}}});
        assert_eq!(
            locations(&d),
            [
                "/States/Yes/Parameters/b.$",
                "/States/Yes/Parameters/c.$",
                "/States/No/Parameters/a.$"
            ]
        );
    }

    #[test]
    fn never_assigned_anywhere() {
        let d = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "InputPath": "$nothing", "End": true}}});
        let found = undefined(&d);
        assert_eq!(found.len(), 1);
        assert!(found[0].1.contains("never assigned"), "{}", found[0].1);
    }
}
