// SPDX-License-Identifier: GPL-2.0

//! Tests of the C header evaluator (`c_header`): values of the Linux 7.3
//! `fbnic_csr.h` worked out by hand, and synthetic headers for precedence,
//! C's integer types, macro expansion, unknown names and malformed input.

mod c_header;

use c_header::Header;

/// The 7.3 driver's `fbnic_csr.h`; a missing header fails the test.
fn csr_h() -> Header {
    Header::load().unwrap_or_else(|e| panic!("{e}"))
}

fn parse(text: &str) -> Header {
    Header::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

/// Asserts that `r` is an error whose message contains `what`.
#[track_caller]
fn assert_err(r: Result<u64, String>, what: &str) {
    match r {
        Err(e) => assert!(e.contains(what), "error {e:?} does not mention {what:?}"),
        Ok(v) => panic!("expected an error mentioning {what:?}, got {v:#x}"),
    }
}

#[test]
fn csr_h_register_offsets() {
    let h = csr_h();
    // (0x00000 + (n)), dword index of 0x00000 + 4*n
    assert_eq!(h.eval("FBNIC_INTR_STATUS", &[3]), Ok(3));
    // (0x00008 + (n))
    assert_eq!(h.eval("FBNIC_INTR_MASK", &[1]), Ok(9));
    // (0x00400 + 4 * (n))
    assert_eq!(h.eval("FBNIC_INTR_CQ_REARM", &[2]), Ok(0x408));
    // (0x04200 + 0x8 * (n) + (m)), with m first
    assert_eq!(h.eval("FBNIC_TCE_RAM_TCAM", &[2, 3]), Ok(0x421a));
    assert_eq!(h.eval("FBNIC_CSR_START_RPC", &[]), Ok(0x8400));
    // 0x40000 + 0x400 * 5 + 0x201
    assert_eq!(
        h.eval_expr("FBNIC_QUEUE(5) + FBNIC_QUEUE_RCQ_HEAD"),
        Ok(0x41601)
    );
    // ((1 * 16 + 2) * 2) + 0x6000
    assert_eq!(h.eval("FBNIC_IPC_MBX", &[1, 2]), Ok(0x6024));
    assert_eq!(h.eval("FBNIC_FW_ZERO_REG", &[]), Ok(0x6000));
    assert_eq!(h.eval("FBNIC_CLOCK_FREQ", &[]), Ok(600_000_000));
}

#[test]
fn csr_h_fields_and_enums() {
    let h = csr_h();
    assert_eq!(
        h.eval("FBNIC_QUEUE_TWQ_PTRS_HEAD_MASK", &[]),
        Ok(0xffff_0000)
    );
    assert_eq!(h.eval("FBNIC_QUEUE_TWQ_CTL_ENABLE", &[]), Ok(2));
    assert_eq!(h.eval("FBNIC_TWD_MSS_MASK", &[]), Ok(0x3fff << 48));
    assert_eq!(
        h.eval("FBNIC_IPC_MBX_DESC_ADDR_MASK", &[]),
        Ok(0x3fff_ffff_fff8)
    );
    assert_eq!(h.eval("FBNIC_IPC_MBX_DESC_EOM", &[]), Ok(1 << 46));
    // The 4 KiB fragment: the lowest bit of GENMASK_ULL(45, 12).
    assert_eq!(h.eval("FBNIC_BD_FRAG_SIZE", &[]), Ok(4096));
    // DIV_ROUND_UP(425, 8), DIV_ROUND_UP(425, 32), then
    // CSR_GENMASK(31, 14 * 32 - 425 = 23).
    assert_eq!(h.eval("FBNIC_RPC_RSS_KEY_BYTE_LEN", &[]), Ok(54));
    assert_eq!(h.eval("FBNIC_RPC_RSS_KEY_DWORD_LEN", &[]), Ok(14));
    assert_eq!(h.eval("FBNIC_RPC_RSS_KEY_LAST_MASK", &[]), Ok(0xff80_0000));
    // enum { RX_IDX, TX_IDX, INDICES }: implicit values.
    assert_eq!(h.eval("FBNIC_IPC_MBX_TX_IDX", &[]), Ok(1));
    assert_eq!(h.eval("FBNIC_IPC_MBX_INDICES", &[]), Ok(2));
    assert_eq!(h.eval("FBNIC_TWD_L3_TYPE_V6V6", &[]), Ok(3));
}

#[test]
fn csr_h_names_enumerate_register_families() {
    let h = csr_h();
    let intr: Vec<&str> = h.names().filter(|n| n.starts_with("FBNIC_INTR_")).collect();
    for n in [
        "FBNIC_INTR_STATUS",
        "FBNIC_INTR_MSIX_CTRL",
        "FBNIC_INTR_CQ_REARM",
    ] {
        assert!(intr.contains(&n), "{n} missing from {intr:?}");
    }
    assert!(h.is_function("FBNIC_INTR_STATUS"));
    assert_eq!(h.params("FBNIC_IPC_MBX").map(<[String]>::len), Some(2));
    assert_eq!(h.params("FBNIC_INTR_STATUS_CNT"), Some(&[][..]));
    assert_eq!(h.params("NOT_IN_THE_HEADER"), None);
    // Definition order is the header's.
    let pos = |n: &str| h.names().position(|m| m == n).unwrap();
    assert!(pos("FBNIC_CSR_START_INTR") < pos("FBNIC_CSR_START_RPC"));
}

/// Every object-like value of the header evaluates, but for those that need
/// a definition from elsewhere, and these say which.
#[test]
fn csr_h_every_value_evaluates_or_names_what_it_lacks() {
    let h = csr_h();
    let mut lacking = Vec::new();
    // Object-like values; an empty one (the include guard) has no value.
    let values = h
        .names()
        .filter(|n| !h.is_function(n) && h.body(n).is_some_and(|b| !b.is_empty()));
    for name in values {
        if let Err(e) = h.eval(name, &[]) {
            let known = ["PAGE_SIZE", "FBNIC_FW_CAP_RESP_VERSION_"]
                .iter()
                .any(|w| e.contains(&format!("unknown identifier {w}")));
            assert!(known, "{e}");
            lacking.push(name.to_string());
        }
    }
    for n in ["FBNIC_BD_FRAG_COUNT", "MIN_FW_VER_CODE"] {
        assert!(lacking.iter().any(|l| l == n), "{n} not in {lacking:?}");
    }

    // Given what they lack, they evaluate too.
    let mut h = h;
    h.define("PAGE_SIZE", "65536").unwrap();
    let fw_h = Header::source_path("fbnic_fw.h");
    let fw = std::fs::read_to_string(&fw_h).unwrap_or_else(|e| panic!("{}: {e}", fw_h.display()));
    h.add_text(&fw).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(h.eval("FBNIC_BD_FRAG_COUNT", &[]), Ok(16));
    assert_eq!(h.eval("FBNIC_BD_FRAG_ADDR_MASK", &[]), Ok(0xf000));
    assert_eq!(h.eval("FBNIC_BD_PAGE_ID_MASK", &[]), Ok(0xfff0 << 48));
    // FW_VER_CODE(0, 10, 6, 0): major 31:24, minor 23:16, patch 15:8.
    assert_eq!(h.eval("MIN_FW_VER_CODE", &[]), Ok(0x000a_0600));
    for name in &lacking {
        assert!(h.eval(name, &[]).is_ok(), "{name}: {:?}", h.eval(name, &[]));
    }
}

#[test]
fn missing_header_says_how_to_get_it() {
    let e = Header::load_file(std::path::Path::new("/nonexistent/fbnic_csr.h")).unwrap_err();
    assert!(e.contains("/nonexistent/fbnic_csr.h"), "{e}");
    assert!(e.contains("make setup"), "{e}");
}

#[test]
fn precedence_and_associativity() {
    let h = parse(
        "#define A 1 + 2 * 3\n\
         #define B (1 << 2 + 1)\n\
         #define C 6 | 1 & 3 ^ 2\n\
         #define D 10 - 4 - 3\n\
         #define E 100 / 10 / 5\n\
         #define F (1 + 2) * 3\n\
         #define G 17 % 5 * 2\n\
         #define H -2 * -3\n\
         #define I ~1 & 0xff\n",
    );
    assert_eq!(h.eval("A", &[]), Ok(7));
    assert_eq!(h.eval("B", &[]), Ok(8));
    assert_eq!(h.eval("C", &[]), Ok(7));
    assert_eq!(h.eval("D", &[]), Ok(3));
    assert_eq!(h.eval("E", &[]), Ok(2));
    assert_eq!(h.eval("F", &[]), Ok(9));
    assert_eq!(h.eval("G", &[]), Ok(4));
    assert_eq!(h.eval("H", &[]), Ok(6));
    assert_eq!(h.eval("I", &[]), Ok(0xfe));
}

#[test]
fn c_integer_types() {
    let h = Header::default();
    let e = |x: &str| h.eval_expr(x);
    // int is 32 bits and signed; its negative values sign-extend to u64.
    assert_eq!(e("~0"), Ok(u64::MAX));
    assert_eq!(e("-1"), Ok(u64::MAX));
    assert_eq!(e("-1 >> 1"), Ok(u64::MAX));
    assert_eq!(e("-7 / 2"), Ok(-3i64 as u64));
    assert_eq!(e("-7 % 2"), Ok(-1i64 as u64));
    assert_eq!(e("!0"), Ok(1));
    assert_eq!(e("!5"), Ok(0));
    // unsigned int wraps at 32 bits.
    assert_eq!(e("~0u"), Ok(0xffff_ffff));
    assert_eq!(e("1u << 31"), Ok(0x8000_0000));
    assert_eq!(e("0xffffffff + 1"), Ok(0));
    assert_eq!(e("0xffffffffU >> 4"), Ok(0x0fff_ffff));
    // long and long long are 64 bits.
    assert_eq!(e("~0UL"), Ok(u64::MAX));
    assert_eq!(e("1ULL << 32"), Ok(1 << 32));
    assert_eq!(e("0x100000000"), Ok(1 << 32));
    assert_eq!(e("0xffffffff + 1ull"), Ok(1 << 32));
    // A negative int meets an unsigned long: converted, not zero-extended.
    assert_eq!(e("-1 & 0xffffffffffUL"), Ok(0xff_ffff_ffff));
    // Octal, as in C.
    assert_eq!(e("010"), Ok(8));
    assert_eq!(e("0"), Ok(0));
    // The kernel's helpers.
    assert_eq!(e("BIT(63)"), Ok(1 << 63));
    assert_eq!(e("BIT_ULL(40)"), Ok(1 << 40));
    assert_eq!(e("GENMASK(7, 4)"), Ok(0xf0));
    assert_eq!(e("GENMASK_ULL(63, 0)"), Ok(u64::MAX));
    assert_eq!(e("~GENMASK(3, 0)"), Ok(!0xf));
    assert_eq!(e("FIELD_PREP(GENMASK(15, 8), 0x12)"), Ok(0x1200));
    assert_eq!(e("DIV_ROUND_UP(9, 4)"), Ok(3));
}

#[test]
fn expansion_substitutes_tokens_and_recurses() {
    let h = parse(
        "#define CSR_BIT(nr) (1u << (nr))\n\
         #define CSR_GENMASK(h, l) GENMASK(h, l)\n\
         #define SQ(x) x * x\n\
         #define SHL(a, b) ((a) << (b))\n\
         #define TWICE(x) SHL(x, 1)\n\
         #define A B + 1\n\
         #define B C * 2\n\
         #define C 5\n\
         #define SELF SELF + 1\n\
         #define PING PONG\n\
         #define PONG PING\n\
         #define NAME_ONLY SQ\n",
    );
    assert_eq!(h.eval("SQ", &[3]), Ok(9));
    // Textual substitution: 1 + 2 * 1 + 2, as C computes it.
    assert_eq!(h.eval_expr("SQ(1 + 2)"), Ok(5));
    assert_eq!(h.eval("TWICE", &[21]), Ok(42));
    // Commas inside parentheses do not split arguments.
    assert_eq!(h.eval_expr("SHL(CSR_GENMASK(3, 0), 4)"), Ok(0xf0));
    assert_eq!(h.eval_expr("~CSR_BIT(0)"), Ok(0xffff_fffe));
    assert_eq!(h.eval("A", &[]), Ok(11));
    // A macro does not expand inside its own expansion.
    assert_err(h.eval("SELF", &[]), "unknown identifier SELF");
    assert_err(h.eval("PING", &[]), "unknown identifier PING");
    // A name an expansion ends with takes the arguments that follow it.
    let h2 =
        parse("#define ADD(a, b) (a + b)\n#define G ADD\n#define ID(x) x\n#define SELF SELF + 1\n");
    assert_eq!(h2.eval_expr("G(1, 2)"), Ok(3));
    // A name stays unexpanded when it came out of its own expansion, even
    // through an argument.
    assert_err(h2.eval_expr("ID(SELF)"), "unknown identifier SELF");
    assert_eq!(h2.eval_expr("ID(ID(7))"), Ok(7));
    // A function-like macro's name alone is not an invocation.
    assert_err(h.eval("NAME_ONLY", &[]), "unknown identifier SQ");
}

#[test]
fn continuations_comments_and_enums() {
    let h = parse(
        "/* SPDX */\n\
         #ifndef GUARD\n\
         #define GUARD\n\
         #include <linux/bitops.h>\n\
         struct fbnic_dev;\n\
         #define LONG \\\n\
         \t(1 + /* two */ 2) \\\n\
         \t* 3 // trailing\n\
         /* a comment\n\
          * over lines\n\
          */\n\
         #define AFTER 4 /* spanning\n\
         lines */ + 1\n\
         enum {\n\
         \tE_A,\n\
         \tE_B = LONG, /* 9 */\n\
         \tE_C,\n\
         };\n\
         enum tag { E_D = 1 << 4 };\n\
         enum tag f(struct fbnic_dev *fbd);\n\
         #endif /* GUARD */\n",
    );
    assert_eq!(h.eval("LONG", &[]), Ok(9));
    assert_eq!(h.eval("AFTER", &[]), Ok(5));
    assert_eq!(h.eval("E_A", &[]), Ok(0));
    assert_eq!(h.eval("E_B", &[]), Ok(9));
    assert_eq!(h.eval("E_C", &[]), Ok(10));
    assert_eq!(h.eval("E_D", &[]), Ok(16));
    let names: Vec<&str> = h.names().collect();
    assert_eq!(
        names,
        ["GUARD", "LONG", "AFTER", "E_A", "E_B", "E_C", "E_D"]
    );
    // GUARD is defined, with no value.
    assert_err(h.eval("GUARD", &[]), "expected an operand");
}

#[test]
fn unknown_names_are_errors_naming_them() {
    let h = parse("#define USES FOO + 1\n#define F(a) (a + BAR)\n");
    assert_err(h.eval("NOPE", &[]), "NOPE");
    assert_err(h.eval("USES", &[]), "unknown identifier FOO");
    assert_err(h.eval("F", &[1]), "unknown identifier BAR");
    assert_err(
        h.eval_expr("PAGE_SIZE / 4096"),
        "unknown identifier PAGE_SIZE",
    );
    let mut h = h;
    h.define("FOO", "41").unwrap();
    assert_eq!(h.eval("USES", &[]), Ok(42));
}

#[test]
fn malformed_headers_are_errors() {
    for (text, what) in [
        ("#define\n", "malformed #define"),
        ("#define 1X 2\n", "without a macro name"),
        ("#define F(a, 1\n", "unterminated parameter list"),
        ("#define F(a, 1b) a\n", "bad parameter"),
        ("#define F(a, a) a\n", "named twice"),
        ("#define F(a,) a\n", "bad parameter"),
        ("/* never closed\n#define A 1\n", "unterminated comment"),
        ("#if 1\n#define A 1\n#endif\n", "#if is not supported"),
        ("#ifdef X\n", "#ifdef is not supported"),
        ("#undef\n", "malformed #undef"),
        ("#define A 1\n#define A 2\n", "A redefined"),
        ("enum { A = , B };\n", "empty value"),
        ("enum { A B };\n", "expected , or }"),
        ("enum { A = 1", "found the end"),
        ("enum {", "unexpected end"),
        ("enum { 3 };\n", "unexpected 3"),
        ("#define A 1\nenum { A = 2 };\n", "A redefined"),
    ] {
        match Header::parse(text) {
            Err(e) => assert!(
                e.contains(what),
                "{text:?}: {e:?} does not mention {what:?}"
            ),
            Ok(h) => panic!("{text:?} parsed: {:?}", h.names().collect::<Vec<_>>()),
        }
    }
    // An identical redefinition is allowed, as in C.
    assert!(Header::parse("#define A (1)\n#define A (1)\n").is_ok());
}

#[test]
fn malformed_values_are_errors() {
    let h = parse("#define F(a, b) ((a) << (b))\n#define S(x) #x\n#define P a ## b\n");
    for (expr, what) in [
        ("(1 + 2", "expected )"),
        ("1 +", "found the end"),
        ("((( 1", "expected )"),
        ("1 2", "unexpected 2"),
        ("", "found the end"),
        (")", "unsupported token )"),
        ("\"str\"", "unsupported token \"str\""),
        ("3 @ 4", "unexpected @"),
        ("1 == 1", "unexpected =="),
        ("1 / 0", "division by zero"),
        ("1 % (2 - 2)", "division by zero"),
        ("1 << 32", "out of range"),
        ("1 << -1", "out of range"),
        ("1ULL << 64", "out of range"),
        ("GENMASK(3)", "GENMASK takes 2 arguments"),
        ("GENMASK(2, 5)", "63 >= h >= l"),
        ("GENMASK(64, 0)", "63 >= h >= l"),
        ("GENMASK", "without arguments"),
        ("BIT(64)", "out of range"),
        ("FIELD_PREP(GENMASK(3, 0), 16)", "too large"),
        ("FIELD_PREP(GENMASK(63, 60), 0x10)", "too large"),
        ("FIELD_PREP(0, 1)", "mask is zero"),
        ("F(1)", "F takes 2 arguments, 1 given"),
        ("F(1, 2", "unterminated argument list"),
        ("S(1)", "stringizing"),
        ("P", "token pasting"),
        ("99999999999999999999999", "bad integer literal"),
        ("0x", "bad integer literal"),
        ("12abc", "bad integer suffix"),
        ("08", "bad integer literal"),
        ("1uu", "bad integer suffix"),
    ] {
        match h.eval_expr(expr) {
            Err(e) => assert!(
                e.contains(what),
                "{expr:?}: {e:?} does not mention {what:?}"
            ),
            Ok(v) => panic!("{expr:?} evaluated to {v:#x}"),
        }
    }
    assert_err(h.eval("F", &[1]), "takes 2 arguments, 1 given");
}

#[test]
fn wrong_arity_in_eval_is_an_error() {
    let h = parse("#define F(a, b) (a + b)\n#define V 1\n");
    assert_eq!(h.eval("F", &[1, 2]), Ok(3));
    assert_err(h.eval("F", &[]), "F takes 2 arguments, 0 given");
    assert_err(h.eval("V", &[1]), "not a function-like macro");
}

#[test]
fn runaway_input_is_an_error_not_a_crash() {
    let h = Header::default();
    let deep = format!("{}1{}", "(".repeat(100_000), ")".repeat(100_000));
    assert_err(h.eval_expr(&deep), "nested deeper");
    let negs = format!("{}1", "-".repeat(100_000));
    assert_err(h.eval_expr(&negs), "nested deeper");

    // Each level doubles the expansion: 2^40 tokens if nothing stopped it.
    let mut text = String::from("#define X0 1\n");
    for i in 1..=40 {
        text.push_str(&format!("#define X{i} (X{j} + X{j})\n", j = i - 1));
    }
    let h = parse(&text);
    assert_eq!(h.eval("X4", &[]), Ok(16));
    assert_err(h.eval("X40", &[]), "exceeds");

    // Long chains of macros are fine; deeply nested arguments are not.
    let mut text = String::from("#define Y0 1\n#define F(x) (x)\n");
    for i in 1..=1000 {
        text.push_str(&format!("#define Y{i} Y{}\n", i - 1));
    }
    let h = parse(&text);
    assert_eq!(h.eval("Y1000", &[]), Ok(1));
    assert_eq!(h.eval_expr("F(F(F(2)))"), Ok(2));
    let nested = format!("{}1{}", "F(".repeat(1000), ")".repeat(1000));
    assert_err(h.eval_expr(&nested), "nested deeper");
}

/// Every truncation and every one-byte deletion of a small header either
/// fails to parse or evaluates each name to a value or an error; none
/// panics.
#[test]
fn mutated_headers_never_panic() {
    let text = "#define CSR_BIT(nr) (1u << (nr))\n\
                #define CSR_GENMASK(h, l) GENMASK(h, l)\n\
                #define Q(n) \\\n (0x40000 + 0x400 * (n)) /* c */\n\
                #define M CSR_GENMASK(31, 16)\n\
                enum { A, B = M >> 16, C };\n\
                #define V FIELD_PREP(M, 0x12) | CSR_BIT(3) // x\n";
    let check = |t: &str| {
        if let Ok(h) = Header::parse(t) {
            for n in h.names() {
                let args = vec![1; h.params(n).map_or(0, <[String]>::len)];
                let _ = h.eval(n, &args);
            }
        }
    };
    check(text);
    let bytes = text.as_bytes();
    for i in 0..=bytes.len() {
        if let Ok(prefix) = std::str::from_utf8(&bytes[..i]) {
            check(prefix);
        }
        if i < bytes.len() {
            let mut v = bytes.to_vec();
            v.remove(i);
            if let Ok(s) = std::str::from_utf8(&v) {
                check(s);
            }
        }
    }
    let h = parse(text);
    assert_eq!(h.eval("Q", &[5]), Ok(0x41400));
    assert_eq!(h.eval("B", &[]), Ok(0xffff));
    assert_eq!(h.eval("C", &[]), Ok(0x1_0000));
    assert_eq!(h.eval("V", &[]), Ok(0x12_0008));
}
