// SPDX-License-Identifier: GPL-2.0

//! The lexical side of the header evaluator: logical lines (continuations
//! joined, comments removed) and preprocessing tokens.

/// A preprocessing token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Tok {
    Ident(String),
    Number(String),
    Punct(&'static str),
    /// Anything else (string and character literals, stray characters):
    /// kept so that a definition parses, refused when evaluated.
    Other(String),
}

impl std::fmt::Display for Tok {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Tok::Ident(s) | Tok::Number(s) | Tok::Other(s) => f.write_str(s),
            Tok::Punct(p) => f.write_str(p),
        }
    }
}

/// Punctuators, longest first.
const PUNCTS: [&str; 26] = [
    "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "##", "(", ")", ",", "+", "-", "*", "/", "%",
    "~", "!", "&", "|", "^", "<", ">", "?", ":",
];

pub(super) fn tokenize(text: &str) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c.is_whitespace() {
            rest = &rest[c.len_utf8()..];
        } else if c.is_ascii_alphabetic() || c == '_' {
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            toks.push(Tok::Ident(rest[..end].to_string()));
            rest = &rest[end..];
        } else if c.is_ascii_digit() {
            // A pp-number: digits, letters, underscores and dots.
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
                .unwrap_or(rest.len());
            toks.push(Tok::Number(rest[..end].to_string()));
            rest = &rest[end..];
        } else if c == '"' || c == '\'' {
            // A literal up to its closing quote (or the end of the text).
            let mut end = rest.len();
            let mut escaped = false;
            for (i, ch) in rest.char_indices().skip(1) {
                if escaped {
                    escaped = false;
                } else if ch == '\\' {
                    escaped = true;
                } else if ch == c {
                    end = i + 1;
                    break;
                }
            }
            toks.push(Tok::Other(rest[..end].to_string()));
            rest = &rest[end..];
        } else if let Some(p) = PUNCTS.iter().find(|p| rest.starts_with(**p)) {
            toks.push(Tok::Punct(p));
            rest = &rest[p.len()..];
        } else {
            toks.push(Tok::Other(c.to_string()));
            rest = &rest[c.len_utf8()..];
        }
    }
    toks
}

/// Joins continued lines and removes comments, keeping line numbers: the
/// result is a list of (first physical line, logical line).
pub(super) fn logical_lines(text: &str) -> Result<Vec<(usize, String)>, String> {
    // Phase 2: splice backslash-newline.
    let mut spliced: Vec<(usize, String)> = Vec::new();
    let mut pending: Option<(usize, String)> = None;
    for (i, line) in text.lines().enumerate() {
        let (first, mut acc) = pending.take().unwrap_or((i + 1, String::new()));
        match line.strip_suffix('\\') {
            Some(head) => {
                acc.push_str(head);
                pending = Some((first, acc));
            }
            None => {
                acc.push_str(line);
                spliced.push((first, acc));
            }
        }
    }
    if let Some(p) = pending {
        spliced.push(p);
    }
    // Phase 3: a comment becomes a space. A block comment may span lines,
    // which then make one logical line: a directive goes on after it.
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut in_block: Option<usize> = None;
    for (lineno, line) in spliced {
        let continues = in_block.is_some();
        let mut cur = String::new();
        let mut chars = line.chars().peekable();
        let mut quote: Option<char> = None;
        while let Some(c) = chars.next() {
            if in_block.is_some() {
                if c == '*' && chars.peek() == Some(&'/') {
                    chars.next();
                    in_block = None;
                    cur.push(' ');
                }
                continue;
            }
            if let Some(q) = quote {
                cur.push(c);
                if c == '\\' {
                    if let Some(n) = chars.next() {
                        cur.push(n);
                    }
                } else if c == q {
                    quote = None;
                }
                continue;
            }
            match c {
                '/' if chars.peek() == Some(&'*') => {
                    chars.next();
                    in_block = Some(lineno);
                }
                '/' if chars.peek() == Some(&'/') => break,
                '"' | '\'' => {
                    quote = Some(c);
                    cur.push(c);
                }
                _ => cur.push(c),
            }
        }
        match out.last_mut() {
            Some(last) if continues => {
                last.1.push(' ');
                last.1.push_str(&cur);
            }
            _ => out.push((lineno, cur)),
        }
    }
    if let Some(line) = in_block {
        return Err(format!("line {line}: unterminated comment"));
    }
    Ok(out)
}
