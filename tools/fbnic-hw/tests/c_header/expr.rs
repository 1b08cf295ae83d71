// SPDX-License-Identifier: GPL-2.0

//! The expression side of the header evaluator: C integer values with
//! their types, literals, operators and the kernel's helper macros, over
//! tokens that are already macro-expanded.

use super::lex::Tok;
use super::MAX_DEPTH;

/// Kernel helpers evaluated here rather than defined by the header.
const BUILTINS: [&str; 6] = [
    "BIT",
    "BIT_ULL",
    "GENMASK",
    "GENMASK_ULL",
    "FIELD_PREP",
    "DIV_ROUND_UP",
];

/// Evaluates a macro-expanded expression, converted to a 64-bit unsigned
/// value (negative `int` values sign-extend, as in a conversion to `u64`).
pub(super) fn evaluate(toks: &[Tok]) -> Result<u64, String> {
    let mut p = Parser { toks, pos: 0 };
    let v = p.expr(0)?;
    if let Some(t) = toks.get(p.pos) {
        return Err(format!("unexpected {t} after a complete expression"));
    }
    Ok(v.to_u64())
}

/// A C integer value: its bits and its type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Val {
    /// The value, reduced to 32 bits unless `long`.
    bits: u64,
    /// 64-bit (`long`, `long long` on the kernel's 64-bit targets).
    long: bool,
    unsigned: bool,
}

impl Val {
    fn new(bits: u64, long: bool, unsigned: bool) -> Self {
        let bits = if long { bits } else { bits & 0xffff_ffff };
        Val {
            bits,
            long,
            unsigned,
        }
    }

    fn int(v: bool) -> Self {
        Val::new(u64::from(v), false, false)
    }

    /// The value converted to a 64-bit type (sign-extending a negative
    /// `int`).
    fn to_u64(self) -> u64 {
        if self.long || self.unsigned {
            self.bits
        } else {
            i64::from(self.bits as u32 as i32) as u64
        }
    }

    fn is_negative(self) -> bool {
        !self.unsigned
            && if self.long {
                self.bits >> 63 != 0
            } else {
                self.bits >> 31 != 0
            }
    }

    fn width(self) -> u32 {
        if self.long {
            64
        } else {
            32
        }
    }

    /// The usual arithmetic conversions of two operands: their common type.
    fn common(a: Val, b: Val) -> (bool, bool) {
        let long = a.long || b.long;
        let unsigned = if a.long == b.long {
            a.unsigned || b.unsigned
        } else if a.long {
            a.unsigned
        } else {
            b.unsigned
        };
        (long, unsigned)
    }
}

/// Parses a C integer literal.
fn literal(text: &str) -> Result<Val, String> {
    let lower = text.to_ascii_lowercase();
    let (radix, body) = if let Some(h) = lower.strip_prefix("0x") {
        (16, h)
    } else if let Some(b) = lower.strip_prefix("0b") {
        (2, b)
    } else if lower.len() > 1 && lower.starts_with('0') && lower.as_bytes()[1].is_ascii_digit() {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    // Octal digits are checked by the conversion, so that 08 is an error.
    let digits_end = body
        .find(|c: char| !c.is_digit(radix.max(10)))
        .unwrap_or(body.len());
    let (digits, suffix) = body.split_at(digits_end);
    let (unsigned_suffix, longs) = match suffix {
        "" => (false, 0),
        "u" => (true, 0),
        "l" => (false, 1),
        "ul" | "lu" => (true, 1),
        "ll" => (false, 2),
        "ull" | "llu" => (true, 2),
        _ => return Err(format!("bad integer suffix in {text}")),
    };
    let v = u64::from_str_radix(digits, radix)
        .map_err(|e| format!("bad integer literal {text}: {e}"))?;
    // C11 6.4.4.1: the first type of the list that holds the value; octal,
    // hex and binary literals may also take the unsigned types.
    let decimal = radix == 10;
    let candidates: &[(bool, bool)] = &[(false, false), (false, true), (true, false), (true, true)];
    for &(long, unsigned) in candidates {
        if !long && longs > 0 {
            continue;
        }
        if unsigned_suffix && !unsigned {
            continue;
        }
        if decimal && unsigned && !unsigned_suffix {
            continue;
        }
        let max = match (long, unsigned) {
            (false, false) => i32::MAX as u64,
            (false, true) => u64::from(u32::MAX),
            (true, false) => i64::MAX as u64,
            (true, true) => u64::MAX,
        };
        if v <= max {
            return Ok(Val::new(v, long, unsigned));
        }
    }
    Err(format!("integer literal {text} is too large"))
}

struct Parser<'a> {
    toks: &'a [Tok],
    pos: usize,
}

/// Binary operators: their token and precedence (higher binds tighter).
const BINOPS: [(&str, u8); 10] = [
    ("|", 1),
    ("^", 2),
    ("&", 3),
    ("<<", 4),
    (">>", 4),
    ("+", 5),
    ("-", 5),
    ("*", 6),
    ("/", 6),
    ("%", 6),
];

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn expect(&mut self, p: &str) -> Result<(), String> {
        match self.peek() {
            Some(Tok::Punct(q)) if *q == p => {
                self.pos += 1;
                Ok(())
            }
            Some(t) => Err(format!("expected {p}, found {t}")),
            None => Err(format!("expected {p}, found the end")),
        }
    }

    /// Precedence climbing over the binary operators.
    fn expr(&mut self, depth: usize) -> Result<Val, String> {
        self.binary(0, depth)
    }

    fn binary(&mut self, min_prec: u8, depth: usize) -> Result<Val, String> {
        let mut lhs = self.unary(depth)?;
        loop {
            let op = match self.peek() {
                Some(Tok::Punct(p)) => BINOPS.iter().find(|(o, _)| o == p).copied(),
                _ => None,
            };
            let Some((op, prec)) = op else {
                return Ok(lhs);
            };
            // Left associative: an operator of the same precedence as the
            // one whose right operand this is ends that operand.
            if prec <= min_prec {
                return Ok(lhs);
            }
            self.pos += 1;
            let rhs = self.binary(prec, depth)?;
            lhs = binop(op, lhs, rhs)?;
        }
    }

    fn unary(&mut self, depth: usize) -> Result<Val, String> {
        if depth > MAX_DEPTH {
            return Err(format!("expression nested deeper than {MAX_DEPTH}"));
        }
        let tok = self
            .peek()
            .cloned()
            .ok_or_else(|| "expected an operand, found the end".to_string())?;
        self.pos += 1;
        match tok {
            Tok::Punct("(") => {
                let v = self.binary(0, depth + 1)?;
                self.expect(")")?;
                Ok(v)
            }
            Tok::Punct("~") => {
                let v = self.unary(depth + 1)?;
                Ok(Val::new(!v.bits, v.long, v.unsigned))
            }
            Tok::Punct("-") => {
                let v = self.unary(depth + 1)?;
                Ok(Val::new(v.bits.wrapping_neg(), v.long, v.unsigned))
            }
            Tok::Punct("+") => Ok(self.unary(depth + 1)?),
            Tok::Punct("!") => {
                let v = self.unary(depth + 1)?;
                Ok(Val::int(v.bits == 0))
            }
            Tok::Number(n) => literal(&n),
            Tok::Ident(name) => {
                if !BUILTINS.contains(&name.as_str()) {
                    return Err(format!("unknown identifier {name}"));
                }
                if self.peek() != Some(&Tok::Punct("(")) {
                    return Err(format!("{name} used without arguments"));
                }
                self.pos += 1;
                let mut args = Vec::new();
                if self.peek() != Some(&Tok::Punct(")")) {
                    loop {
                        args.push(self.binary(0, depth + 1)?);
                        if self.peek() == Some(&Tok::Punct(",")) {
                            self.pos += 1;
                        } else {
                            break;
                        }
                    }
                }
                self.expect(")")?;
                builtin(&name, &args)
            }
            t => Err(format!("unsupported token {t}")),
        }
    }
}

fn shift_count(op: &str, lhs: Val, rhs: Val) -> Result<u32, String> {
    let n = rhs.to_u64();
    if rhs.is_negative() || n >= u64::from(lhs.width()) {
        return Err(format!(
            "shift {op} by {} is out of range for a {}-bit value",
            n as i64,
            lhs.width()
        ));
    }
    Ok(n as u32)
}

fn binop(op: &str, a: Val, b: Val) -> Result<Val, String> {
    if op == "<<" || op == ">>" {
        // The result has the type of the promoted left operand.
        let n = shift_count(op, a, b)?;
        let bits = if op == "<<" {
            a.bits << n
        } else if a.unsigned {
            a.bits >> n
        } else {
            (a.to_u64() as i64 >> n) as u64
        };
        return Ok(Val::new(bits, a.long, a.unsigned));
    }
    let (long, unsigned) = Val::common(a, b);
    let (x, y) = (a.to_u64(), b.to_u64());
    let signed_div = |f: fn(i64, i64) -> Option<i64>| -> Result<u64, String> {
        if y == 0 {
            return Err("division by zero".into());
        }
        if unsigned {
            let (x, y) = if long {
                (x, y)
            } else {
                (x & 0xffff_ffff, y & 0xffff_ffff)
            };
            let r = if op == "/" { x / y } else { x % y };
            Ok(r)
        } else {
            f(x as i64, y as i64)
                .map(|r| r as u64)
                .ok_or_else(|| "signed division overflows".to_string())
        }
    };
    let bits = match op {
        "+" => x.wrapping_add(y),
        "-" => x.wrapping_sub(y),
        "*" => x.wrapping_mul(y),
        "/" => signed_div(i64::checked_div)?,
        "%" => signed_div(i64::checked_rem)?,
        "&" => x & y,
        "^" => x ^ y,
        "|" => x | y,
        _ => return Err(format!("unsupported operator {op}")),
    };
    Ok(Val::new(bits, long, unsigned))
}

fn genmask(name: &str, h: Val, l: Val) -> Result<Val, String> {
    let (h, l) = (h.to_u64(), l.to_u64());
    if h >= 64 || l > h {
        return Err(format!(
            "{name}({}, {}): bits must satisfy 63 >= h >= l >= 0",
            h as i64, l as i64
        ));
    }
    let mask = (u64::MAX >> (63 - h)) & (u64::MAX << l);
    Ok(Val::new(mask, true, true))
}

fn builtin(name: &str, args: &[Val]) -> Result<Val, String> {
    let want = match name {
        "BIT" | "BIT_ULL" => 1,
        _ => 2,
    };
    if args.len() != want {
        return Err(format!(
            "{name} takes {want} arguments, {} given",
            args.len()
        ));
    }
    match name {
        "BIT" | "BIT_ULL" => binop("<<", Val::new(1, true, true), args[0]),
        "GENMASK" | "GENMASK_ULL" => genmask(name, args[0], args[1]),
        "DIV_ROUND_UP" => {
            let one = Val::int(true);
            let sum = binop("+", args[0], args[1])?;
            binop("/", binop("-", sum, one)?, args[1])
        }
        "FIELD_PREP" => {
            let (mask, val) = (args[0], args[1]);
            let m = mask.to_u64();
            if m == 0 {
                return Err("FIELD_PREP: mask is zero".into());
            }
            let shift = m.trailing_zeros();
            let v = val.to_u64();
            let placed = v.checked_shl(shift).filter(|p| p >> shift == v);
            match placed {
                Some(p) if p & !m == 0 => Ok(Val::new(p, mask.long, mask.unsigned)),
                _ => Err(format!(
                    "FIELD_PREP: value {v:#x} is too large for the field {m:#x}"
                )),
            }
        }
        _ => Err(format!("unknown identifier {name}")),
    }
}
