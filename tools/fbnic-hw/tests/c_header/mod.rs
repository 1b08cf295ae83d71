// SPDX-License-Identifier: GPL-2.0

//! A small evaluator of C headers' integer macros, for the tests that check
//! `hw/` against the upstream driver's `fbnic_csr.h`, read at test time
//! from the Linux 7.3 source under `$FBNIC_CACHE`.
//!
//! It knows just enough C for that header:
//!
//! - `#define NAME body` and `#define NAME(a, b) body`, with line
//!   continuations and comments removed; `#undef`; `enum { A = x, B, }`
//!   constants (B is A + 1, as in C);
//! - macro expansion as the preprocessor does it: arguments expanded
//!   first, then the body rescanned, a macro never expanding inside its own
//!   expansion;
//! - integer expressions with C's types and conversions (`int`, `unsigned
//!   int`, 64-bit `long` and their unsigned forms, so `~CSR_BIT(0)` is 32
//!   bits wide and `~DESC_BIT(0)` 64): literals with `u`/`l` suffixes,
//!   parentheses, unary `~ - + !`, `* / % + - << >> & ^ |`;
//! - the kernel helpers the header relies on without defining them:
//!   `BIT`, `BIT_ULL`, `GENMASK`, `GENMASK_ULL`, `FIELD_PREP` and
//!   `DIV_ROUND_UP`, with the kernel's compile-time checks (a reversed or
//!   too-wide mask, a value too large for its field) as errors.
//!
//! Conditional compilation is not evaluated: `#ifndef` and `#endif` are
//! taken for the include guard and `#if`/`#ifdef`/`#elif`/`#else` are
//! errors, so a header that starts using them fails here instead of being
//! read wrongly. Every failure is an `Err` naming what went wrong; nothing
//! panics on malformed input.

// Each test crate that declares `mod c_header;` uses a part of it.
#![allow(dead_code)]

mod expr;
mod lex;

use expr::evaluate;
use lex::{logical_lines, tokenize, Tok};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// Where the header lives inside a kernel source tree.
const FBNIC_DIR: &str = "drivers/net/ethernet/meta/fbnic";

/// Deepest macro expansion or expression nesting accepted.
const MAX_DEPTH: usize = 128;

/// Most tokens one evaluation may expand to.
const MAX_TOKENS: usize = 1 << 16;

/// One definition: a macro or an enum constant.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Def {
    /// A number of its own, for the hide sets of macro expansion.
    id: u32,
    /// `Some` for a function-like macro.
    params: Option<Vec<String>>,
    body: Vec<Tok>,
    /// Line of the header it was defined on, for messages.
    line: usize,
}

/// The integer macros and enum constants of a C header.
#[derive(Clone, Debug, Default)]
pub struct Header {
    /// Where the text came from, for messages.
    origin: String,
    defs: HashMap<String, Def>,
    /// Names in the order they were defined.
    order: Vec<String>,
    /// The `id` of the next definition.
    next_id: u32,
}

impl Header {
    /// The path of `fbnic_csr.h` in the 7.3 source under `$FBNIC_CACHE`
    /// (default `~/.cache/fbnic-rs`).
    pub fn default_path() -> PathBuf {
        Self::source_path("fbnic_csr.h")
    }

    /// The path of the upstream driver's file `name` in the 7.3 source
    /// under `$FBNIC_CACHE`.
    pub fn source_path(name: &str) -> PathBuf {
        let cache = match std::env::var_os("FBNIC_CACHE") {
            Some(c) if !c.is_empty() => PathBuf::from(c),
            _ => {
                let home = std::env::var_os("HOME").unwrap_or_default();
                Path::new(&home).join(".cache/fbnic-rs")
            }
        };
        cache.join("src/current").join(FBNIC_DIR).join(name)
    }

    /// Reads `fbnic_csr.h` of the Linux 7.3 source the lab extracted.
    pub fn load() -> Result<Self, String> {
        Self::load_file(&Self::default_path())
    }

    /// Reads and parses the header at `path`.
    pub fn load_file(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            format!(
                "{}: {e}. The tests compare hw/ with the Linux 7.3 driver's \
                 headers, which the lab extracts under $FBNIC_CACHE/src/current: \
                 run `make setup` (or `scripts/setup.sh kernel`; \
                 `scripts/setup.sh packages` installs the linux-source package \
                 it extracts from)",
                path.display()
            )
        })?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        Self::parse_named(&name, &text)
    }

    /// Parses header text.
    pub fn parse(text: &str) -> Result<Self, String> {
        Self::parse_named("<text>", text)
    }

    /// Parses header text, naming it `origin` in messages.
    pub fn parse_named(origin: &str, text: &str) -> Result<Self, String> {
        let mut h = Header {
            origin: origin.to_string(),
            ..Header::default()
        };
        h.add_text(text)?;
        Ok(h)
    }

    /// Adds the definitions of another header text, as if it were included
    /// after this one (e.g. `PAGE_SIZE`, or `fbnic_fw.h` for the firmware
    /// version fields).
    pub fn add_text(&mut self, text: &str) -> Result<(), String> {
        // The C code between directives, token by token with its line.
        let mut code: Vec<(usize, Tok)> = Vec::new();
        for (lineno, line) in logical_lines(text)? {
            let Some(directive) = line.trim_start().strip_prefix('#') else {
                code.extend(tokenize(&line).into_iter().map(|t| (lineno, t)));
                continue;
            };
            self.add_enums(&code)?;
            code.clear();
            self.directive(lineno, directive)
                .map_err(|e| format!("{}:{lineno}: {e}", self.origin))?;
        }
        self.add_enums(&code)
    }

    /// Adds `#define name body`.
    pub fn define(&mut self, name: &str, body: &str) -> Result<(), String> {
        self.add_text(&format!("#define {name} {body}\n"))
    }

    fn directive(&mut self, lineno: usize, text: &str) -> Result<(), String> {
        let text = text.trim_start();
        let word_end = text
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(text.len());
        let (word, rest) = text.split_at(word_end);
        match word {
            "define" => self.parse_define(lineno, rest),
            "undef" => {
                let toks = tokenize(rest);
                match toks.as_slice() {
                    [Tok::Ident(name)] => {
                        self.defs.remove(name);
                        self.order.retain(|n| n != name);
                        Ok(())
                    }
                    _ => Err(format!("malformed #undef: {}", rest.trim())),
                }
            }
            // The include guard, includes, diagnostics and the empty
            // directive change no value.
            "" | "ifndef" | "endif" | "include" | "pragma" | "error" | "warning" => Ok(()),
            _ => Err(format!(
                "#{word} is not supported (conditional compilation is not evaluated)"
            )),
        }
    }

    fn parse_define(&mut self, lineno: usize, rest: &str) -> Result<(), String> {
        if !rest.starts_with(char::is_whitespace) {
            return Err("malformed #define".into());
        }
        let rest = rest.trim_start();
        let name_end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let name = &rest[..name_end];
        if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
            return Err(format!("#define without a macro name: {}", rest.trim()));
        }
        let after = &rest[name_end..];
        let (params, body) = if let Some(plist) = after.strip_prefix('(') {
            let close = plist
                .find(')')
                .ok_or_else(|| format!("{name}: unterminated parameter list"))?;
            let mut params = Vec::new();
            let inner = plist[..close].trim();
            if !inner.is_empty() {
                for p in inner.split(',') {
                    let p = p.trim();
                    let valid = !p.is_empty()
                        && !p.starts_with(|c: char| c.is_ascii_digit())
                        && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                    if !valid {
                        return Err(format!("{name}: bad parameter {p:?}"));
                    }
                    if params.iter().any(|q| q == p) {
                        return Err(format!("{name}: parameter {p} named twice"));
                    }
                    params.push(p.to_string());
                }
            }
            (Some(params), &plist[close + 1..])
        } else {
            (None, after)
        };
        let def = Def {
            params,
            body: tokenize(body),
            line: lineno,
            id: 0,
        };
        self.insert(name, def)
    }

    fn insert(&mut self, name: &str, mut def: Def) -> Result<(), String> {
        if let Some(old) = self.defs.get(name) {
            if old.params == def.params && old.body == def.body {
                return Ok(());
            }
            return Err(format!(
                "{name} redefined differently (first defined on line {})",
                old.line
            ));
        }
        def.id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1);
        self.order.push(name.to_string());
        self.defs.insert(name.to_string(), def);
        Ok(())
    }

    /// Finds `enum [tag] { ... }` bodies in C code and defines their
    /// constants.
    fn add_enums(&mut self, code: &[(usize, Tok)]) -> Result<(), String> {
        let is = |i: usize, text: &str| matches!(code.get(i), Some((_, Tok::Other(o) | Tok::Ident(o))) if o == text);
        let mut i = 0;
        while i < code.len() {
            if !is(i, "enum") {
                i += 1;
                continue;
            }
            i += 1;
            if matches!(code.get(i), Some((_, Tok::Ident(_)))) {
                i += 1;
            }
            if !is(i, "{") {
                // `enum tag name(...)`: a use of the type, not a body.
                continue;
            }
            i += 1;
            let mut prev: Option<String> = None;
            while !is(i, "}") {
                let (line, name) = match code.get(i) {
                    Some((line, Tok::Ident(name))) => (*line, name.clone()),
                    Some((line, t)) => {
                        return Err(format!("{}:{line}: enum: unexpected {t}", self.origin))
                    }
                    None => return Err(format!("{}: enum: unexpected end", self.origin)),
                };
                i += 1;
                let body = if is(i, "=") {
                    i += 1;
                    let start = i;
                    let mut depth = 0usize;
                    while let Some((_, t)) = code.get(i) {
                        match t {
                            Tok::Punct("(") => depth += 1,
                            Tok::Punct(")") => depth = depth.saturating_sub(1),
                            Tok::Punct(",") if depth == 0 => break,
                            _ if depth == 0 && is(i, "}") => break,
                            _ => {}
                        }
                        i += 1;
                    }
                    if start == i {
                        return Err(format!(
                            "{}:{line}: enum constant {name} has an empty value",
                            self.origin
                        ));
                    }
                    code[start..i].iter().map(|(_, t)| t.clone()).collect()
                } else if let Some(p) = &prev {
                    // One more than the constant before it.
                    vec![
                        Tok::Punct("("),
                        Tok::Ident(p.clone()),
                        Tok::Punct(")"),
                        Tok::Punct("+"),
                        Tok::Number("1".into()),
                    ]
                } else {
                    vec![Tok::Number("0".into())]
                };
                let def = Def {
                    params: None,
                    body,
                    line,
                    id: 0,
                };
                self.insert(&name, def)
                    .map_err(|e| format!("{}:{line}: enum: {e}", self.origin))?;
                match code.get(i) {
                    Some((_, Tok::Punct(","))) => i += 1,
                    _ if is(i, "}") => {}
                    other => {
                        return Err(format!(
                            "{}:{line}: enum: expected , or }} after {name}, found {}",
                            self.origin,
                            other.map_or("the end".to_string(), |(_, t)| t.to_string())
                        ))
                    }
                }
                prev = Some(name);
            }
            i += 1;
        }
        Ok(())
    }

    /// Every macro and enum constant, in the order of definition.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.order.iter().map(String::as_str)
    }

    /// Whether `name` is defined (as a macro or an enum constant).
    pub fn contains(&self, name: &str) -> bool {
        self.defs.contains_key(name)
    }

    /// The parameters of a function-like macro; `Some(&[])` for an
    /// object-like macro or an enum constant, `None` if undefined.
    pub fn params(&self, name: &str) -> Option<&[String]> {
        self.defs
            .get(name)
            .map(|d| d.params.as_deref().unwrap_or(&[]))
    }

    /// Whether `name` is a function-like macro.
    pub fn is_function(&self, name: &str) -> bool {
        self.defs.get(name).is_some_and(|d| d.params.is_some())
    }

    /// The body of a definition as tokens separated by spaces, for messages.
    pub fn body(&self, name: &str) -> Option<String> {
        self.defs.get(name).map(|d| {
            d.body
                .iter()
                .map(Tok::to_string)
                .collect::<Vec<_>>()
                .join(" ")
        })
    }

    /// Evaluates macro or enum constant `name`, a function-like macro with
    /// `args`, as C would, converted to a 64-bit unsigned value (negative
    /// `int` values sign-extend, as in a conversion to `u64`).
    pub fn eval(&self, name: &str, args: &[u64]) -> Result<u64, String> {
        let def = self
            .defs
            .get(name)
            .ok_or_else(|| format!("{name} is not defined in {}", self.origin))?;
        let mut toks = vec![Tok::Ident(name.to_string())];
        match &def.params {
            Some(params) => {
                if params.len() != args.len() {
                    return Err(format!(
                        "{name} takes {} arguments, {} given",
                        params.len(),
                        args.len()
                    ));
                }
                toks.push(Tok::Punct("("));
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        toks.push(Tok::Punct(","));
                    }
                    toks.push(Tok::Number(format!("{a:#x}")));
                }
                toks.push(Tok::Punct(")"));
            }
            None if !args.is_empty() => {
                return Err(format!("{name} is not a function-like macro"));
            }
            None => {}
        }
        self.eval_tokens(&toks)
            .map_err(|e| format!("{name} ({}:{}): {e}", self.origin, def.line))
    }

    /// Evaluates a C expression over this header's definitions.
    pub fn eval_expr(&self, expr: &str) -> Result<u64, String> {
        self.eval_tokens(&tokenize(expr))
    }

    fn eval_tokens(&self, toks: &[Tok]) -> Result<u64, String> {
        let mut budget = MAX_TOKENS;
        let toks = toks.iter().map(|t| HTok::new(t.clone())).collect();
        let expanded = self.expand(toks, 0, &mut budget)?;
        let expanded: Vec<Tok> = expanded.into_iter().map(|t| t.tok).collect();
        evaluate(&expanded)
    }

    /// Macro-expands `toks` the way the preprocessor does (Prosser's
    /// algorithm): an expansion replaces the invocation and is rescanned
    /// with what follows it, and each token carries the macros it came
    /// out of, which it does not expand again.
    fn expand(
        &self,
        toks: Vec<HTok>,
        depth: usize,
        budget: &mut usize,
    ) -> Result<Vec<HTok>, String> {
        if depth > MAX_DEPTH {
            return Err(format!("macro arguments nested deeper than {MAX_DEPTH}"));
        }
        // The tokens still to scan, the next one last.
        let mut stack: Vec<HTok> = toks.into_iter().rev().collect();
        let mut out = Vec::new();
        while let Some(t) = stack.pop() {
            let def = match &t.tok {
                Tok::Ident(name) => self
                    .defs
                    .get(name)
                    .filter(|d| t.hide.binary_search(&d.id).is_err()),
                Tok::Punct("##") => return Err("token pasting (##) is not supported".into()),
                _ => None,
            };
            let (Some(def), Tok::Ident(name)) = (def, &t.tok) else {
                out.push(t);
                continue;
            };
            let (mut hide, body) = match &def.params {
                None => {
                    let body = def.body.iter().map(|b| HTok::new(b.clone())).collect();
                    (t.hide.to_vec(), body)
                }
                Some(params) => {
                    if stack.last().map(|n| &n.tok) != Some(&Tok::Punct("(")) {
                        // A function-like macro's name without arguments is
                        // not an invocation.
                        out.push(t);
                        continue;
                    }
                    stack.pop();
                    let (args, rparen) = take_args(&mut stack)
                        .ok_or_else(|| format!("{name}: unterminated argument list"))?;
                    let args = if params.is_empty() && args.len() == 1 && args[0].is_empty() {
                        Vec::new()
                    } else {
                        args
                    };
                    if args.len() != params.len() {
                        return Err(format!(
                            "{name} takes {} arguments, {} given",
                            params.len(),
                            args.len()
                        ));
                    }
                    let mut expanded = Vec::with_capacity(args.len());
                    for a in args {
                        expanded.push(self.expand(a, depth + 1, budget)?);
                    }
                    let mut body = Vec::new();
                    for b in &def.body {
                        match b {
                            Tok::Ident(id) => match params.iter().position(|p| p == id) {
                                Some(k) => body.extend(expanded[k].iter().cloned()),
                                None => body.push(HTok::new(b.clone())),
                            },
                            Tok::Other(s) if s == "#" => {
                                return Err(format!("{name}: stringizing (#) is not supported"))
                            }
                            _ => body.push(HTok::new(b.clone())),
                        }
                    }
                    // What both the name and the closing parenthesis came
                    // out of.
                    let hide = t
                        .hide
                        .iter()
                        .filter(|h| rparen.hide.binary_search(h).is_ok())
                        .copied()
                        .collect();
                    (hide, body)
                }
            };
            *budget = budget
                .checked_sub(body.len())
                .ok_or_else(|| format!("expansion of {name} exceeds {MAX_TOKENS} tokens"))?;
            if let Err(k) = hide.binary_search(&def.id) {
                hide.insert(k, def.id);
            }
            let hide: HideSet = hide.into();
            // Body tokens share one hide set; argument tokens, which have
            // their own, mostly share theirs: merge each set once.
            let mut merged: Option<(HideSet, HideSet)> = None;
            for mut b in body.into_iter().rev() {
                if b.hide.is_empty() {
                    b.hide = hide.clone();
                } else {
                    match &merged {
                        Some((from, to)) if Rc::ptr_eq(from, &b.hide) => {
                            b.hide = to.clone();
                        }
                        _ => {
                            let mut u = b.hide.to_vec();
                            u.extend_from_slice(&hide);
                            u.sort_unstable();
                            u.dedup();
                            let u: HideSet = u.into();
                            merged = Some((b.hide.clone(), u.clone()));
                            b.hide = u;
                        }
                    }
                }
                stack.push(b);
            }
        }
        Ok(out)
    }
}

/// The ids of the macros a token came out of, sorted.
type HideSet = Rc<[u32]>;

/// A token on its way through macro expansion, with the ids of the
/// macros whose expansion it came out of.
#[derive(Clone, Debug)]
struct HTok {
    tok: Tok,
    hide: HideSet,
}

impl HTok {
    fn new(tok: Tok) -> Self {
        HTok {
            tok,
            hide: Rc::from([]),
        }
    }
}

/// Takes the arguments of an invocation whose `(` was just taken from
/// `stack` (the next token last): the arguments and the closing `)`.
fn take_args(stack: &mut Vec<HTok>) -> Option<(Vec<Vec<HTok>>, HTok)> {
    let mut args = vec![Vec::new()];
    let mut depth = 0usize;
    loop {
        let t = stack.pop()?;
        match t.tok {
            Tok::Punct(")") if depth == 0 => return Some((args, t)),
            Tok::Punct(",") if depth == 0 => args.push(Vec::new()),
            _ => {
                match t.tok {
                    Tok::Punct("(") => depth += 1,
                    Tok::Punct(")") => depth -= 1,
                    _ => {}
                }
                args.last_mut()?.push(t);
            }
        }
    }
}
