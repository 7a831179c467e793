//! A text in double quotes, as error messages and explanations show it.

use core::fmt::{self, Write as _};

/// A string in double quotes, its quotes, backslashes and control characters escaped (a
/// JavaScript string literal of it, as a page's code would write it).
pub(crate) struct Quoted<'a>(pub(crate) &'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_char('"')?;
        for c in self.0.chars() {
            match c {
                '"' | '\\' => write!(f, "\\{c}")?,
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                '\0'..='\x1f' | '\x7f' => write!(f, "\\u{{{:x}}}", u32::from(c))?,
                c => f.write_char(c)?,
            }
        }
        f.write_char('"')
    }
}

#[cfg(test)]
mod tests {
    use super::Quoted;

    #[test]
    fn quoted_is_a_javascript_string_literal() {
        let quoted = alloc::format!("{}", Quoted("a \"b\" \\ c\td\u{1}\u{7f}é"));
        assert_eq!(quoted, "\"a \\\"b\\\" \\\\ c\\td\\u{1}\\u{7f}é\"");
    }
}
