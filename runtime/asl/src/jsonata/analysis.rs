//! One walk over a parsed expression, at parse time: the workflow variables it reads,
//! the members of `$states` it reads, and which of the functions Stepwise provides
//! itself it may call, so that an evaluation binds and registers only those.

use jsonata_core::ast::{AstNode, BinaryOp, PathStep, Stage};
use jsonata_core::value::with_stack;

/// The members of `$states`.
pub(crate) const STATES_MEMBERS: [&str; 4] = ["input", "context", "result", "errorOutput"];

/// JSONata 2.0's built-in functions and the ones AWS adds: `$name` with one of these
/// names is a function, not a workflow variable.
const BUILTINS: &[&str] = &[
    // JSONata 2.0
    "abs",
    "append",
    "assert",
    "average",
    "base64decode",
    "base64encode",
    "boolean",
    "ceil",
    "clone",
    "contains",
    "count",
    "decodeUrl",
    "decodeUrlComponent",
    "distinct",
    "each",
    "encodeUrl",
    "encodeUrlComponent",
    "error",
    "eval",
    "exists",
    "filter",
    "floor",
    "formatBase",
    "formatInteger",
    "formatNumber",
    "fromMillis",
    "join",
    "keys",
    "length",
    "lookup",
    "lowercase",
    "map",
    "match",
    "max",
    "merge",
    "millis",
    "min",
    "not",
    "now",
    "number",
    "pad",
    "parseInteger",
    "power",
    "random",
    "reduce",
    "replace",
    "reverse",
    "round",
    "shuffle",
    "sift",
    "single",
    "sort",
    "split",
    "spread",
    "sqrt",
    "string",
    "substring",
    "substringAfter",
    "substringBefore",
    "sum",
    "toMillis",
    "trim",
    "type",
    "uppercase",
    "zip",
    // AWS Step Functions
    "hash",
    "parse",
    "partition",
    "range",
    "uuid",
];

/// The functions Stepwise registers itself (AWS's additions and the built-ins it
/// replaces), by bit.
pub(crate) const HOST_FUNCTIONS: [&str; 10] = [
    "partition",
    "range",
    "hash",
    "random",
    "uuid",
    "parse",
    "eval",
    "shuffle",
    "now",
    "millis",
];

/// True for a JSONata or AWS built-in function name (without the `$`).
pub(crate) fn is_builtin(name: &str) -> bool {
    BUILTINS.contains(&name)
}

/// The parts of a value an expression reads: all of it, or (when it is an object)
/// some of its members, found from paths such as `$states.input.order.id` whose
/// steps are plain names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Need {
    /// The whole value.
    pub full: bool,
    /// The members read, when not the whole value.
    pub members: Vec<(String, Need)>,
}

impl Need {
    /// Adds the path `chain` below this value (empty: the whole value).
    fn add(&mut self, chain: &[&str]) {
        if self.full {
            return;
        }
        let Some((key, rest)) = chain.split_first() else {
            self.full = true;
            self.members = Vec::new();
            return;
        };
        let at = match self.members.iter().position(|(k, _)| k == key) {
            Some(at) => at,
            None => {
                self.members.push((key.to_string(), Need::default()));
                self.members.len() - 1
            }
        };
        self.members[at].1.add(rest);
    }
}

/// What an expression reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Analysis {
    /// Free variables that are neither `states` nor built-ins, in order of first use.
    pub variables: Vec<String>,
    /// What is read of each variable (same order).
    pub variable_needs: Vec<Need>,
    /// What is read of each `$states` member (`STATES_MEMBERS` order); `None`: unread.
    pub states: [Option<Need>; 4],
    /// Bit `i` set: may call `HOST_FUNCTIONS[i]`.
    pub host_functions: u16,
}

impl Analysis {
    /// Analyses a parsed expression.
    pub(crate) fn of(ast: &AstNode) -> Analysis {
        let mut walker = Walker {
            scopes: Vec::new(),
            out: Analysis::default(),
        };
        walker.node(ast);
        walker.out
    }

    /// True when the expression may call the host function `name`.
    pub(crate) fn calls(&self, name: &str) -> bool {
        HOST_FUNCTIONS
            .iter()
            .position(|f| *f == name)
            .is_some_and(|i| self.host_functions & (1 << i) != 0)
    }

    /// True when the expression reads `$states` at all.
    pub(crate) fn reads_states(&self) -> bool {
        self.states.iter().any(Option::is_some)
    }
}

struct Walker {
    /// Names bound by `:=`, function parameters and path bindings, innermost last.
    scopes: Vec<Vec<String>>,
    out: Analysis,
}

impl Walker {
    fn bound(&self, name: &str) -> bool {
        self.scopes
            .iter()
            .any(|scope| scope.iter().any(|n| n == name))
    }

    fn bind(&mut self, name: &str) {
        match self.scopes.last_mut() {
            Some(scope) => scope.push(name.to_string()),
            // A top-level `:=` binds for the rest of the expression.
            None => self.scopes.push(vec![name.to_string()]),
        }
    }

    fn scoped(&mut self, names: &[String], f: impl FnOnce(&mut Self)) {
        self.scopes.push(names.to_vec());
        f(self);
        self.scopes.pop();
    }

    /// A whole-value reference to `$name`.
    fn reference(&mut self, name: &str) {
        self.read(name, &[]);
    }

    /// A read of `$name` followed by the plain names of `chain`.
    fn read(&mut self, name: &str, chain: &[&str]) {
        if name.is_empty() || self.bound(name) {
            return;
        }
        if name == "states" {
            match chain.split_first() {
                None => {
                    for need in &mut self.out.states {
                        need.get_or_insert_with(Need::default).add(&[]);
                    }
                }
                // Any other name is a member that does not exist: nothing to fetch.
                Some((member, rest)) => {
                    if let Some(i) = STATES_MEMBERS.iter().position(|m| m == member) {
                        self.out.states[i]
                            .get_or_insert_with(Need::default)
                            .add(rest);
                    }
                }
            }
        } else if let Some(i) = HOST_FUNCTIONS.iter().position(|f| *f == name) {
            self.out.host_functions |= 1 << i;
        } else if !is_builtin(name) {
            let at = match self.out.variables.iter().position(|v| v == name) {
                Some(at) => at,
                None => {
                    self.out.variables.push(name.to_string());
                    self.out.variable_needs.push(Need::default());
                    self.out.variables.len() - 1
                }
            };
            self.out.variable_needs[at].add(chain);
        }
    }

    fn node(&mut self, node: &AstNode) {
        with_stack(|| self.node_inner(node));
    }

    fn node_inner(&mut self, node: &AstNode) {
        match node {
            AstNode::String(_)
            | AstNode::Name(_)
            | AstNode::Number(_)
            | AstNode::Boolean(_)
            | AstNode::Null
            | AstNode::Undefined
            | AstNode::Placeholder
            | AstNode::Regex { .. }
            | AstNode::ParentVariable(_)
            | AstNode::Wildcard
            | AstNode::Descendant
            | AstNode::Parent(_) => {}
            AstNode::Variable(name) => self.reference(name),
            AstNode::Path { steps } => self.path(steps),
            AstNode::Binary {
                op: BinaryOp::ColonEqual,
                lhs,
                rhs,
            } => {
                match (lhs.as_ref(), rhs.as_ref()) {
                    // A function's body runs after the binding: it may call itself.
                    (AstNode::Variable(name), AstNode::Lambda { .. }) => {
                        self.bind(name);
                        self.node(rhs);
                    }
                    (AstNode::Variable(name), _) => {
                        self.node(rhs);
                        self.bind(name);
                    }
                    (other, _) => {
                        self.node(rhs);
                        self.node(other);
                    }
                }
            }
            AstNode::Binary { lhs, rhs, .. } => {
                self.node(lhs);
                self.node(rhs);
            }
            AstNode::Unary { operand, .. } => self.node(operand),
            AstNode::Function {
                name,
                args,
                is_builtin,
            } => {
                if *is_builtin {
                    self.reference(name);
                }
                args.iter().for_each(|arg| self.node(arg));
            }
            AstNode::Call { procedure, args } => {
                self.node(procedure);
                args.iter().for_each(|arg| self.node(arg));
            }
            AstNode::Lambda { params, body, .. } => self.scoped(params, |w| w.node(body)),
            AstNode::Block(items) => self.scoped(&[], |w| items.iter().for_each(|i| w.node(i))),
            AstNode::Array(items) | AstNode::ArrayGroup(items) => {
                items.iter().for_each(|item| self.node(item))
            }
            AstNode::Object(pairs) => self.pairs(pairs),
            AstNode::ObjectTransform { input, pattern } => {
                self.node(input);
                self.pairs(pattern);
            }
            AstNode::Conditional {
                condition,
                then_branch,
                else_branch,
            } => {
                self.node(condition);
                self.node(then_branch);
                if let Some(e) = else_branch {
                    self.node(e);
                }
            }
            AstNode::FunctionApplication(inner) => self.node(inner),
            AstNode::Sort { input, terms } => {
                self.node(input);
                terms.iter().for_each(|(term, _)| self.node(term));
            }
            AstNode::Transform {
                location,
                update,
                delete,
            } => {
                self.node(location);
                self.node(update);
                if let Some(d) = delete {
                    self.node(d);
                }
            }
        }
    }

    fn pairs(&mut self, pairs: &[(AstNode, AstNode)]) {
        for (key, value) in pairs {
            self.node(key);
            self.node(value);
        }
    }

    /// A path. One that starts at a variable reads only what its leading plain name
    /// steps reach (`$states.input.a.b`: member `a.b` of the input). Focus (`@$v`) and
    /// index (`#$i`) bindings are visible to the later steps of the path only.
    fn path(&mut self, steps: &[PathStep]) {
        if let Some((AstNode::Variable(name), rest)) =
            steps.split_first().map(|(head, rest)| (&head.node, rest))
        {
            // Parent (`%`) steps reach back up: such paths read whole values.
            let projectable = plain(&steps[0])
                && steps
                    .iter()
                    .all(|s| s.ancestor_label.is_none() && !s.is_tuple)
                && !steps.iter().any(|s| matches!(s.node, AstNode::Parent(_)));
            let mut chain = Vec::new();
            if projectable {
                for step in rest {
                    let AstNode::Name(key) = &step.node else {
                        break;
                    };
                    chain.push(key.as_str());
                    if !plain(step) {
                        break;
                    }
                }
            }
            self.read(name, &chain);
            self.scoped(&[], |w| w.steps(rest));
            return;
        }
        self.scoped(&[], |w| w.steps(steps));
    }

    fn steps(&mut self, steps: &[PathStep]) {
        for step in steps {
            self.node(&step.node);
            if let Some(focus) = &step.focus {
                self.bind(focus);
            }
            if let Some(index) = &step.index_var {
                self.bind(index);
            }
            for stage in &step.stages {
                match stage {
                    Stage::Filter(filter) => self.node(filter),
                    Stage::Index(name) => self.bind(name),
                    Stage::KeepArray => {}
                }
            }
        }
    }
}

/// True for a step without predicates or bindings.
fn plain(step: &PathStep) -> bool {
    step.stages.is_empty()
        && step.focus.is_none()
        && step.index_var.is_none()
        && step.ancestor_label.is_none()
        && !step.is_tuple
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyse(text: &str) -> Analysis {
        Analysis::of(&jsonata_core::parser::parse(text).expect("parses"))
    }

    fn vars(text: &str) -> Vec<String> {
        analyse(text).variables
    }

    #[test]
    fn free_variables_in_order_without_builtins_or_states() {
        assert_eq!(vars("$b + $a + $b"), ["b", "a"]);
        assert_eq!(vars("$sum($x) & $string($y.z)"), ["x", "y"]);
        assert_eq!(vars("$states.input.n + $states"), Vec::<String>::new());
        assert_eq!(vars("$ + $$.a"), Vec::<String>::new());
        assert_eq!(vars("$hash($v, 'MD5') & $uuid()"), ["v"]);
        assert_eq!(vars("$map($xs, $string)"), ["xs"]);
        assert_eq!(vars("$f($x)"), ["f", "x"]);
    }

    #[test]
    fn names_the_expression_binds_are_not_workflow_variables() {
        assert_eq!(vars("$x := 1"), Vec::<String>::new());
        assert_eq!(vars("($x := 1; $x + $y)"), ["y"]);
        // The right side is evaluated before the name is bound.
        assert_eq!(vars("($x := $x + 1; $x)"), ["x"]);
        // Used before the binding: the workflow variable.
        assert_eq!(vars("($a; $a := 2)"), ["a"]);
        assert_eq!(vars("function($p, $q){ $p + $q + $r }(1, 2)"), ["r"]);
        // A parameter is not visible outside its function.
        assert_eq!(vars("(function($p){ $p }(1); $p)"), ["p"]);
        // A block's bindings end with the block.
        assert_eq!(vars("(($x := 1); $x)"), ["x"]);
        assert_eq!(
            vars("$f := function($n){ $n = 0 ? 1 : $n * $f($n - 1) }"),
            Vec::<String>::new()
        );
        assert_eq!(vars("$l.items@$i.(a)#$n[$n > $k]"), ["l", "k"]);
        // Focus bindings end with their path.
        assert_eq!(vars("[$l@$i.a, $i]"), ["l", "i"]);
    }

    /// The needs as `path` strings (`"a.b"`, `""` for the whole value).
    fn paths(need: &Need) -> Vec<String> {
        if need.full {
            return vec![String::new()];
        }
        let mut out = Vec::new();
        for (key, child) in &need.members {
            for rest in paths(child) {
                out.push(if rest.is_empty() {
                    key.clone()
                } else {
                    format!("{key}.{rest}")
                });
            }
        }
        out
    }

    fn states(text: &str) -> Vec<Option<Vec<String>>> {
        analyse(text)
            .states
            .iter()
            .map(|n| n.as_ref().map(paths))
            .collect()
    }

    #[test]
    fn states_members() {
        let all = || Some(vec![String::new()]);
        assert_eq!(
            states("$states.input.n + 1"),
            [Some(vec!["n".into()]), None, None, None]
        );
        assert_eq!(
            states("$states.context.Execution.Id")[1],
            Some(vec!["Execution.Id".to_string()])
        );
        assert_eq!(
            states("$states.result & $states.errorOutput"),
            [None, None, all(), all()]
        );
        assert_eq!(states("$keys($states)"), [all(), all(), all(), all()]);
        assert_eq!(states("$states[0]"), [all(), all(), all(), all()]);
        assert_eq!(states("$states.nothing"), [None, None, None, None]);
        assert_eq!(states("$states.input[0].a")[0], Some(vec![String::new()]));
        assert_eq!(
            states("$states.input.items[0].a")[0],
            Some(vec!["items".to_string()])
        );
        assert_eq!(
            states("$states.input.a.b + $states.input.a.c + $states.input.d")[0],
            Some(vec!["a.b".to_string(), "a.c".to_string(), "d".to_string()])
        );
        assert_eq!(
            states("$states.input.a.b + $states.input.a")[0],
            Some(vec!["a".to_string()])
        );
        assert_eq!(
            states("$states.input.a.*.b")[0],
            Some(vec!["a".to_string()])
        );
        assert_eq!(states("$states.input.a.%.b")[0], all());
        assert_eq!(states("$states.input.a@$v.b")[0], all());
        assert_eq!(states("1"), [None, None, None, None]);
        // A local $states is not the workflow's.
        assert_eq!(
            states("($states := {}; $states.input)"),
            [None, None, None, None]
        );
        let a = analyse("$order.total + $order.items[0] + $x");
        assert_eq!(a.variables, ["order", "x"]);
        assert_eq!(
            a.variable_needs.iter().map(paths).collect::<Vec<_>>(),
            [
                vec!["total".to_string(), "items".to_string()],
                vec![String::new()]
            ]
        );
        assert!(analyse("$states.input").reads_states());
        assert!(!analyse("$x").reads_states());
    }

    #[test]
    fn host_functions() {
        let a = analyse("$partition($range(1, 5, 1), 2)");
        assert!(a.calls("partition") && a.calls("range") && !a.calls("hash"));
        assert!(analyse("$map(['1'], $eval)").calls("eval"));
        assert!(!analyse("($uuid := 1; $uuid)").calls("uuid"));
        assert!(
            analyse("$now() & $millis() & $pad('a', 3) & $shuffle([1])")
                .host_functions
                .count_ones()
                == 3
        );
    }

    #[test]
    fn builtins() {
        assert!(is_builtin("sum") && is_builtin("partition") && !is_builtin("states"));
    }

    #[test]
    fn deep_ast_is_walked_without_overflow() {
        let text = format!("{}$x{}", "(".repeat(900), ")".repeat(900));
        assert_eq!(vars(&text), ["x"]);
    }
}
