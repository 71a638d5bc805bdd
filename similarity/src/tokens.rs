//! A Python file as the token sequence that survives a disguise.
//!
//! The file is parsed by tree-sitter's Python grammar and its leaves are read in order.
//! What a student changes to hide a copy without changing the program is left out or made
//! equal here:
//!
//! - comments and docstrings (every statement that is only a string) are dropped;
//! - whitespace, blank lines and line breaks never were tokens;
//! - every string literal, f-strings included, is one `STR` token (so quotes and wording
//!   do not matter), every number one `NUM`;
//! - every name the file itself can rename is one `ID` token: variables, functions,
//!   classes, parameters, import aliases, and attribute or keyword names the file defines
//!   (`self.count = ...`, `def worker(...)`, `f(count=3)` for its own parameter `count`).
//!
//! Names the student cannot rename without breaking the program keep their text, which
//! makes a match on them more telling: builtins (`print`, `range`), imported modules and
//! their names (`socket`, `ThreadPoolExecutor`), and attribute or keyword names the file
//! does not define (`.recv`, `.map`, `target=`).

use std::collections::HashSet;

use tree_sitter::{Node, Parser};

/// One token: what it is after normalisation, and where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// A 64-bit hash of the normalised text (`ID`, `STR`, `def`, `recv`, ...): equal
    /// tokens of any two files have equal values.
    pub value: u64,
    /// The first and last line the token spans, 1-based (a multi-line string spans many).
    pub lines: (u32, u32),
}

/// A file read for comparison.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// The tokens, in source order.
    pub tokens: Vec<Token>,
    /// What was odd about the file and how it was handled, one sentence each ("not UTF-8:
    /// read with replacement characters", "does not parse (line 12): compared on its
    /// tokens", "cut at 20000 tokens").
    pub notes: Vec<String>,
}

impl Document {
    /// Tokenises Python `source` (any bytes), keeping at most `max_tokens` tokens.
    ///
    /// Never fails: bytes that are not UTF-8 are replaced, a syntax error leaves the parser's
    /// best reading of the rest, and each of these adds a note.
    pub fn python(source: &[u8], max_tokens: usize) -> Document {
        let mut notes = Vec::new();
        let text = match std::str::from_utf8(source) {
            Ok(text) => std::borrow::Cow::Borrowed(text),
            Err(_) => {
                notes.push("not UTF-8: read with replacement characters".to_owned());
                String::from_utf8_lossy(source)
            }
        };
        let mut parser = Parser::new();
        parser
            .set_language(&tree_sitter_python::LANGUAGE.into())
            .expect("the Python grammar matches the tree-sitter library it was built for");
        // `parse` returns None only when cancelled or without a language; neither happens.
        let Some(tree) = parser.parse(text.as_bytes(), None) else {
            notes.push("could not be parsed at all: no tokens".to_owned());
            return Document {
                tokens: Vec::new(),
                notes,
            };
        };
        let root = tree.root_node();
        if root.has_error() {
            let line = first_error_line(root).unwrap_or(0);
            notes.push(format!(
                "does not parse (line {line}): compared on the parser's tokens"
            ));
        }
        let bytes = text.as_bytes();
        let names = Names::collect(root, bytes);
        let mut reader = Reader {
            bytes,
            names: &names,
            tokens: Vec::new(),
        };
        reader.read(root);
        let mut tokens = reader.tokens;
        if tokens.len() > max_tokens {
            notes.push(format!(
                "longer than {max_tokens} tokens: compared on its first {max_tokens}"
            ));
            tokens.truncate(max_tokens);
        }
        Document { tokens, notes }
    }
}

/// The 1-based line of the first syntax error or missing token under `node`.
fn first_error_line(node: Node) -> Option<u32> {
    if node.is_error() || node.is_missing() {
        return Some(node.start_position().row as u32 + 1);
    }
    let mut cursor = node.walk();
    node.children(&mut cursor)
        .filter(|c| c.has_error())
        .find_map(first_error_line)
}

/// Which names keep their text.
struct Names {
    /// Imported modules and imported names (not their `as` aliases).
    imported: HashSet<String>,
    /// Names the file defines as a function, class, parameter or assigned attribute: these
    /// are renamed with the file, so they become `ID` even after a `.` or as a keyword.
    defined: HashSet<String>,
}

impl Names {
    fn collect(root: Node, bytes: &[u8]) -> Names {
        let mut names = Names {
            imported: HashSet::new(),
            defined: HashSet::new(),
        };
        names.visit(root, bytes);
        names
    }

    fn visit(&mut self, node: Node, bytes: &[u8]) {
        let text = |n: Node| n.utf8_text(bytes).unwrap_or_default().to_owned();
        match node.kind() {
            "import_statement" | "import_from_statement" => {
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    // `import a.b as c`: `a` and `b` keep their text, `c` does not.
                    let dotted = match child.kind() {
                        "aliased_import" => child.child_by_field_name("name"),
                        "dotted_name" => Some(child),
                        _ => None,
                    };
                    if let Some(dotted) = dotted {
                        let mut c = dotted.walk();
                        for part in dotted.named_children(&mut c) {
                            self.imported.insert(text(part));
                        }
                    }
                }
                return;
            }
            "function_definition" | "class_definition" => {
                if let Some(name) = node.child_by_field_name("name") {
                    self.defined.insert(text(name));
                }
            }
            "parameters" | "lambda_parameters" => {
                let mut cursor = node.walk();
                for param in node.named_children(&mut cursor) {
                    if let Some(id) = first_identifier(param) {
                        self.defined.insert(text(id));
                    }
                }
            }
            "assignment" | "augmented_assignment" => {
                if let Some(left) = node.child_by_field_name("left") {
                    self.assigned_attributes(left, bytes);
                }
            }
            _ => {}
        }
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            self.visit(child, bytes);
        }
    }

    /// `self.count = ...`, `a.x, b.y = ...`: the attribute names an assignment defines.
    fn assigned_attributes(&mut self, target: Node, bytes: &[u8]) {
        if target.kind() == "attribute" {
            if let Some(attr) = target.child_by_field_name("attribute") {
                self.defined
                    .insert(attr.utf8_text(bytes).unwrap_or_default().to_owned());
            }
            return;
        }
        let mut cursor = target.walk();
        for child in target.named_children(&mut cursor) {
            self.assigned_attributes(child, bytes);
        }
    }
}

/// The parameter's own name: `a`, `b` of `b=2`, `c` of `*c`, `x` of `x: int = 1`.
fn first_identifier(param: Node) -> Option<Node> {
    if param.kind() == "identifier" {
        return Some(param);
    }
    let mut cursor = param.walk();
    param
        .named_children(&mut cursor)
        .find(|c| c.kind() == "identifier")
}

/// Python's builtins a course program uses: they keep their text, as no student renames them.
const BUILTINS: &[&str] = &[
    "print",
    "range",
    "len",
    "open",
    "int",
    "str",
    "float",
    "bytes",
    "bytearray",
    "list",
    "dict",
    "set",
    "tuple",
    "sorted",
    "map",
    "filter",
    "enumerate",
    "zip",
    "min",
    "max",
    "sum",
    "abs",
    "isinstance",
    "super",
    "object",
    "input",
    "iter",
    "next",
    "any",
    "all",
    "type",
    "round",
    "divmod",
    "reversed",
    "bool",
    "memoryview",
    "self",
    "cls",
    "__name__",
    "Exception",
    "OSError",
    "IOError",
    "ValueError",
    "KeyboardInterrupt",
    "ConnectionError",
    "ConnectionResetError",
    "ConnectionRefusedError",
    "BrokenPipeError",
    "TimeoutError",
    "FileExistsError",
    "FileNotFoundError",
    "RuntimeError",
    "SystemExit",
    "StopIteration",
];

struct Reader<'a> {
    bytes: &'a [u8],
    names: &'a Names,
    tokens: Vec<Token>,
}

impl Reader<'_> {
    fn read(&mut self, node: Node) {
        match node.kind() {
            "comment" => return,
            // A statement that is only a string: a docstring, or a comment written as one.
            "expression_statement"
                if node.named_child_count() == 1
                    && node
                        .named_child(0)
                        .is_some_and(|c| matches!(c.kind(), "string" | "concatenated_string")) =>
            {
                return;
            }
            "string" | "concatenated_string" => return self.push(node, "STR"),
            "integer" | "float" => return self.push(node, "NUM"),
            "identifier" => {
                let text = node.utf8_text(self.bytes).unwrap_or_default();
                let kept = self.keeps_text(node, text);
                return self.push(node, if kept { text } else { "ID" });
            }
            _ => {}
        }
        if node.child_count() == 0 {
            // Keywords and punctuation: their kind is their text. A leaf the parser made up
            // to mend an error (a missing `)`) is not in the file.
            if !node.is_missing() {
                let kind = node.kind();
                self.push(node, kind);
            }
            return;
        }
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            self.read(child);
        }
    }

    /// Whether an identifier is one the file cannot rename (see the module's doc).
    fn keeps_text(&self, node: Node, text: &str) -> bool {
        let Some(parent) = node.parent() else {
            return false;
        };
        let is_field = |field: &str| {
            parent
                .child_by_field_name(field)
                .is_some_and(|n| n.id() == node.id())
        };
        let named_by_others = (parent.kind() == "attribute" && is_field("attribute"))
            || (parent.kind() == "keyword_argument" && is_field("name"));
        if named_by_others {
            return !self.names.defined.contains(text);
        }
        BUILTINS.contains(&text) || self.names.imported.contains(text)
    }

    fn push(&mut self, node: Node, text: &str) {
        let first = node.start_position().row as u32 + 1;
        let last = node.end_position().row as u32 + 1;
        self.tokens.push(Token {
            value: fnv1a(text.as_bytes()),
            lines: (first, last),
        });
    }
}

/// FNV-1a, 64 bits: a fixed hash, so that fingerprints are the same in every run.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(src: &str) -> Vec<u64> {
        Document::python(src.as_bytes(), usize::MAX)
            .tokens
            .iter()
            .map(|t| t.value)
            .collect()
    }

    #[test]
    fn disguises_change_nothing() {
        let original = r#"
import threading

def fetch(index):
    """Downloads one frame."""
    conn = make(index)  # a socket
    data = b''
    threading.Thread(target=fetch, args=(index,)).start()
    return data
"#;
        let disguised = "import threading\n\n\ndef   grab( n ) :\n    s = make(\n        n)\n\n    buf = \"\"\n    threading.Thread(target = grab,\n                     args = (n, )).start()\n    return buf\n";
        assert_eq!(values(original), values(disguised));
    }

    #[test]
    fn library_names_keep_their_text() {
        assert_ne!(values("x.recv(1)"), values("x.send(1)"));
        assert_eq!(
            values("self.a = 1\nprint(self.a)"),
            values("self.b = 1\nprint(self.b)")
        );
        assert_ne!(values("print(x)"), values("len(x)"));
        assert_eq!(
            values("import numpy as np\nnp.sort(x)"),
            values("import numpy as q\nq.sort(y)")
        );
    }

    #[test]
    fn odd_files_are_read_with_a_note() {
        let broken = Document::python(b"def f(:\n    return 1\n", 100);
        assert!(
            broken.notes[0].starts_with("does not parse (line 1)"),
            "{:?}",
            broken.notes
        );
        assert!(!broken.tokens.is_empty());
        let latin1 = Document::python(b"x = '\xe9'\n", 100);
        assert_eq!(
            latin1.notes,
            ["not UTF-8: read with replacement characters"]
        );
        assert_eq!(latin1.tokens.len(), 3);
        let long = Document::python(b"x = 1\n".repeat(10).as_slice(), 7);
        assert_eq!(long.tokens.len(), 7);
        assert!(long.notes[0].contains("first 7"));
    }

    #[test]
    fn lines_are_one_based_and_span_strings() {
        let doc = Document::python(b"x = 1\ny = '''a\nb'''\n", 100);
        assert_eq!(doc.tokens[0].lines, (1, 1));
        assert_eq!(doc.tokens.last().unwrap().lines, (2, 3));
    }
}
