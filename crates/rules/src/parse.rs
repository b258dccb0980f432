//! Text → [`Rule`], with errors that point at the position and say what was expected.

use crate::{check_value, Field, Op, Rule, Value};
use std::fmt;

/// A parse error at a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ParseError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, col {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for ParseError {}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    Num(i64),
    Op(Op),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    End,
}

impl Tok {
    fn describe(&self) -> String {
        match self {
            Tok::Ident(s) => format!("{s:?}"),
            Tok::Str(s) => format!("the string {s:?}"),
            Tok::Num(n) => format!("the number {n}"),
            Tok::Op(o) => format!("{:?}", o.as_str()),
            Tok::LParen => "\"(\"".into(),
            Tok::RParen => "\")\"".into(),
            Tok::LBracket => "\"[\"".into(),
            Tok::RBracket => "\"]\"".into(),
            Tok::Comma => "\",\"".into(),
            Tok::End => "the end of the rule".into(),
        }
    }
}

struct Lexer {
    toks: Vec<(Tok, usize, usize)>,
}

fn lex(src: &str) -> Result<Lexer, ParseError> {
    let chars: Vec<char> = src.chars().collect();
    let (mut i, mut line, mut col) = (0usize, 1usize, 1usize);
    let mut toks = Vec::new();
    let err = |line, column, message: String| ParseError {
        line,
        column,
        message,
    };
    while i < chars.len() {
        let c = chars[i];
        let (l0, c0) = (line, col);
        let advance = |n: usize, i: &mut usize, col: &mut usize| {
            *i += n;
            *col += n;
        };
        match c {
            '\n' => {
                i += 1;
                line += 1;
                col = 1;
            }
            c if c.is_whitespace() => advance(1, &mut i, &mut col),
            '(' => {
                toks.push((Tok::LParen, l0, c0));
                advance(1, &mut i, &mut col)
            }
            ')' => {
                toks.push((Tok::RParen, l0, c0));
                advance(1, &mut i, &mut col)
            }
            '[' => {
                toks.push((Tok::LBracket, l0, c0));
                advance(1, &mut i, &mut col)
            }
            ']' => {
                toks.push((Tok::RBracket, l0, c0));
                advance(1, &mut i, &mut col)
            }
            ',' => {
                toks.push((Tok::Comma, l0, c0));
                advance(1, &mut i, &mut col)
            }
            '=' | '!' | '<' | '>' => {
                let next = chars.get(i + 1).copied();
                let (op, n) = match (c, next) {
                    ('=', Some('=')) => (Op::Eq, 2),
                    ('=', Some('~')) => (Op::Matches, 2),
                    ('!', Some('=')) => (Op::Ne, 2),
                    ('<', Some('=')) => (Op::Le, 2),
                    ('>', Some('=')) => (Op::Ge, 2),
                    ('<', _) => (Op::Lt, 1),
                    ('>', _) => (Op::Gt, 1),
                    ('=', _) => {
                        return Err(err(
                            l0,
                            c0,
                            "unknown operator \"=\"; did you mean \"==\"?".into(),
                        ))
                    }
                    _ => {
                        return Err(err(
                            l0,
                            c0,
                            "unknown operator \"!\"; write NOT for negation".into(),
                        ))
                    }
                };
                toks.push((Tok::Op(op), l0, c0));
                advance(n, &mut i, &mut col)
            }
            '"' => {
                let mut s = String::new();
                let mut j = i + 1;
                loop {
                    match chars.get(j) {
                        None | Some('\n') => {
                            return Err(err(l0, c0, "this string is not closed with \"".into()))
                        }
                        Some('"') => break,
                        Some('\\') => match chars.get(j + 1) {
                            Some('"') => {
                                s.push('"');
                                j += 2
                            }
                            Some('\\') => {
                                s.push('\\');
                                j += 2
                            }
                            // Other escapes stay as written: regexes need `\d`, `\.`.
                            Some(&e) => {
                                s.push('\\');
                                s.push(e);
                                j += 2
                            }
                            None => {
                                return Err(err(l0, c0, "this string is not closed with \"".into()))
                            }
                        },
                        Some(&ch) => {
                            s.push(ch);
                            j += 1
                        }
                    }
                }
                toks.push((Tok::Str(s), l0, c0));
                let n = j + 1 - i;
                advance(n, &mut i, &mut col)
            }
            c if c.is_ascii_digit()
                || (c == '-' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit())) =>
            {
                let mut j = i + 1;
                while chars.get(j).is_some_and(|d| d.is_ascii_digit()) {
                    j += 1;
                }
                let text: String = chars[i..j].iter().collect();
                let n = text
                    .parse::<i64>()
                    .map_err(|_| err(l0, c0, format!("{text} is too large")))?;
                toks.push((Tok::Num(n), l0, c0));
                advance(j - i, &mut i, &mut col)
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let mut j = i + 1;
                while chars
                    .get(j)
                    .is_some_and(|d| d.is_ascii_alphanumeric() || matches!(d, '_' | '.' | '-'))
                {
                    j += 1;
                }
                let word: String = chars[i..j].iter().collect();
                toks.push((Tok::Ident(word), l0, c0));
                advance(j - i, &mut i, &mut col)
            }
            other => return Err(err(l0, c0, format!("unexpected character {other:?}"))),
        }
    }
    toks.push((Tok::End, line, col));
    Ok(Lexer { toks })
}

struct Parser {
    toks: Vec<(Tok, usize, usize)>,
    pos: usize,
}

fn kw(t: &Tok, word: &str) -> bool {
    matches!(t, Tok::Ident(s) if s.eq_ignore_ascii_case(word))
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos].0
    }
    fn next(&mut self) -> (Tok, usize, usize) {
        let t = self.toks[self.pos].clone();
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
        }
        t
    }
    fn error_here(&self, message: impl Into<String>) -> ParseError {
        let (_, line, column) = &self.toks[self.pos];
        ParseError {
            line: *line,
            column: *column,
            message: message.into(),
        }
    }

    fn expr(&mut self, depth: usize) -> Result<Rule, ParseError> {
        if depth > 64 {
            return Err(self.error_here("the rule is nested too deeply"));
        }
        let mut items = vec![self.and(depth)?];
        while kw(self.peek(), "or") {
            self.next();
            items.push(self.and(depth)?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Rule::Or { or: items }
        })
    }

    fn and(&mut self, depth: usize) -> Result<Rule, ParseError> {
        let mut items = vec![self.not(depth)?];
        while kw(self.peek(), "and") {
            self.next();
            items.push(self.not(depth)?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Rule::And { and: items }
        })
    }

    fn not(&mut self, depth: usize) -> Result<Rule, ParseError> {
        if kw(self.peek(), "not") {
            self.next();
            return Ok(Rule::Not {
                not: Box::new(self.not(depth + 1)?),
            });
        }
        self.primary(depth)
    }

    fn string_arg(&mut self, what: &str) -> Result<String, ParseError> {
        match self.next() {
            (Tok::Str(s), ..) => Ok(s),
            (t, line, column) => Err(ParseError {
                line,
                column,
                message: format!("expected {what} in quotes, found {}", t.describe()),
            }),
        }
    }

    fn expect(&mut self, tok: Tok, what: &str) -> Result<(), ParseError> {
        if *self.peek() == tok {
            self.next();
            Ok(())
        } else {
            Err(self.error_here(format!("expected {what}, found {}", self.peek().describe())))
        }
    }

    fn value(&mut self, after: &str) -> Result<Value, ParseError> {
        match self.next() {
            (Tok::Str(s), ..) => Ok(Value::Str(s)),
            (Tok::Num(n), ..) => Ok(Value::Num(n)),
            (t, line, column) => Err(ParseError {
                line,
                column,
                message: format!(
                    "expected a value after {after} (a \"string\" or a number), found {}",
                    t.describe()
                ),
            }),
        }
    }

    fn primary(&mut self, depth: usize) -> Result<Rule, ParseError> {
        let (tok, line, column) = self.next();
        match tok {
            Tok::LParen => {
                let inner = self.expr(depth + 1)?;
                self.expect(Tok::RParen, "\")\"")?;
                Ok(inner)
            }
            Tok::Ident(word) if word.eq_ignore_ascii_case("in_group") => {
                self.expect(Tok::LParen, "\"(\" after in_group")?;
                let name = self.string_arg("a group name")?;
                if name.trim().is_empty() {
                    return Err(ParseError {
                        line,
                        column,
                        message: "in_group needs a group name".into(),
                    });
                }
                self.expect(Tok::RParen, "\")\"")?;
                Ok(Rule::InGroup { in_group: name })
            }
            Tok::Ident(word) => {
                let field = Field::parse(&word).ok_or(ParseError {
                    line,
                    column,
                    message: format!(
                        "unknown field {word:?}; fields are {}",
                        Field::NAMES.join(", ")
                    ),
                })?;
                self.condition(field)
            }
            t => Err(ParseError {
                line,
                column,
                message: format!("expected a condition (a field such as environment or tags.env, NOT, or \"(\"), found {}", t.describe()),
            }),
        }
    }

    fn condition(&mut self, field: Field) -> Result<Rule, ParseError> {
        let (tok, line, column) = self.next();
        let at = |message: String| ParseError {
            line,
            column,
            message,
        };
        let op = match tok {
            Tok::Op(op) => op,
            Tok::Ident(w) if w.eq_ignore_ascii_case("exists") => {
                if field == Field::Port {
                    return Err(at("port always exists".into()));
                }
                return Ok(Rule::Exists {
                    field,
                    exists: true,
                });
            }
            Tok::Ident(w) if w.eq_ignore_ascii_case("in") => {
                self.expect(Tok::LBracket, "\"[\" after in")?;
                let mut values = Vec::new();
                loop {
                    let (vl, vc) = (self.toks[self.pos].1, self.toks[self.pos].2);
                    let v = self.value("in [")?;
                    check_value(&field, Op::Eq, &v).map_err(|message| ParseError {
                        line: vl,
                        column: vc,
                        message,
                    })?;
                    values.push(v);
                    if *self.peek() == Tok::Comma {
                        self.next();
                        continue;
                    }
                    self.expect(Tok::RBracket, "\",\" or \"]\"")?;
                    break;
                }
                return Ok(Rule::In { field, values });
            }
            Tok::Ident(w) if w.eq_ignore_ascii_case("contains") => Op::Contains,
            Tok::Ident(w) if w.eq_ignore_ascii_case("starts_with") => Op::StartsWith,
            t => {
                return Err(at(format!(
                    "expected an operator after {field} (==, !=, =~, in, exists, contains, starts_with, <, <=, >, >=), found {}",
                    t.describe()
                )))
            }
        };
        let (vl, vc) = (self.toks[self.pos].1, self.toks[self.pos].2);
        let value = self.value(op.as_str())?;
        check_value(&field, op, &value).map_err(|message| ParseError {
            line: vl,
            column: vc,
            message,
        })?;
        Ok(Rule::Cmp { field, op, value })
    }
}

/// Parses the text form.
pub fn parse(src: &str) -> Result<Rule, ParseError> {
    let lexer = lex(src)?;
    let mut p = Parser {
        toks: lexer.toks,
        pos: 0,
    };
    if *p.peek() == Tok::End {
        return Err(p.error_here("the rule is empty"));
    }
    let rule = p.expr(0)?;
    if *p.peek() != Tok::End {
        return Err(p.error_here(format!(
            "expected AND, OR or the end of the rule, found {}",
            p.peek().describe()
        )));
    }
    Ok(rule)
}
