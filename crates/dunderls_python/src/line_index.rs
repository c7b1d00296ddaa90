//! Byte offsets <-> (line, column) in UTF-8, UTF-16 or UTF-32 code units.
//!
//! Lines end at `\n`, `\r\n` or a lone `\r`, as in the LSP specification;
//! form feeds and U+2028 do not end lines.

use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PositionEncoding {
    Utf8,
    #[default]
    Utf16,
    Utf32,
}

/// A zero-based line and a column counted in the chosen encoding's units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    /// Byte offset where each line starts; always starts with 0.
    line_starts: Vec<usize>,
    len: usize,
    /// True when the text is pure ASCII: every column conversion is identity.
    ascii: bool,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => line_starts.push(i + 1),
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    line_starts.push(i + 2);
                    i += 1;
                }
                b'\r' => line_starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex {
            line_starts,
            len: text.len(),
            ascii: text.is_ascii(),
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts.get(line).copied()
    }

    /// Byte range of a line's content, without its terminator.
    pub fn line_range(&self, line: usize, text: &str) -> Range<usize> {
        let start = self.line_starts[line.min(self.line_starts.len() - 1)];
        let mut end = self.line_starts.get(line + 1).copied().unwrap_or(self.len);
        let bytes = text.as_bytes();
        while end > start && matches!(bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        start..end
    }

    /// The zero-based line containing `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        self.line_starts.partition_point(|&s| s <= offset) - 1
    }

    /// Convert a byte offset to a line and column. Offsets inside a
    /// multi-byte character are moved back to its start.
    pub fn position(&self, text: &str, offset: usize, enc: PositionEncoding) -> LineCol {
        let mut offset = offset.min(self.len);
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        let col = if self.ascii || enc == PositionEncoding::Utf8 {
            offset - start
        } else {
            units(&text[start..offset], enc)
        };
        LineCol {
            line: line as u32,
            col: col as u32,
        }
    }

    /// Convert a line and column to a byte offset. A line past the end maps
    /// to the end of the text; a column past the end of its line maps to the
    /// end of the line; a column inside a character (e.g. between the two
    /// UTF-16 units of an emoji) maps to that character's start.
    pub fn offset(&self, text: &str, pos: LineCol, enc: PositionEncoding) -> usize {
        let line = pos.line as usize;
        if line >= self.line_starts.len() {
            return self.len;
        }
        let range = self.line_range(line, text);
        let want = pos.col as usize;
        if self.ascii || enc == PositionEncoding::Utf8 {
            let mut off = range.start + want.min(range.len());
            while !text.is_char_boundary(off) {
                off -= 1;
            }
            return off;
        }
        let mut seen = 0usize;
        for (i, ch) in text[range.clone()].char_indices() {
            let width = match enc {
                PositionEncoding::Utf16 => ch.len_utf16(),
                _ => 1,
            };
            if seen + width > want {
                return range.start + i;
            }
            seen += width;
        }
        range.end
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

fn units(s: &str, enc: PositionEncoding) -> usize {
    match enc {
        PositionEncoding::Utf8 => s.len(),
        PositionEncoding::Utf16 => s.chars().map(char::len_utf16).sum(),
        PositionEncoding::Utf32 => s.chars().count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_count_surrogate_pairs() {
        let text = "a = '😀é'\nb = 1\n";
        let idx = LineIndex::new(text);
        let after_emoji = text.find('é').unwrap();
        let pos = idx.position(text, after_emoji, PositionEncoding::Utf16);
        assert_eq!(pos, LineCol { line: 0, col: 7 });
        assert_eq!(idx.offset(text, pos, PositionEncoding::Utf16), after_emoji);
        // Inside the surrogate pair: snaps to the emoji's start.
        let inside = idx.offset(text, LineCol { line: 0, col: 6 }, PositionEncoding::Utf16);
        assert_eq!(inside, text.find('😀').unwrap());
        assert_eq!(
            idx.position(text, after_emoji, PositionEncoding::Utf8).col,
            9
        );
        assert_eq!(
            idx.position(text, after_emoji, PositionEncoding::Utf32).col,
            6
        );
    }

    #[test]
    fn crlf_and_lone_cr_end_lines_but_form_feed_does_not() {
        let text = "a\r\nb\rc\x0cd\ne";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 4);
        assert_eq!(idx.line_range(0, text), 0..1);
        assert_eq!(&text[idx.line_range(2, text)], "c\x0cd");
        let e = text.find('e').unwrap();
        assert_eq!(
            idx.position(text, e, PositionEncoding::Utf16),
            LineCol { line: 3, col: 0 }
        );
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let text = "ab\ncd";
        let idx = LineIndex::new(text);
        assert_eq!(
            idx.offset(text, LineCol { line: 9, col: 0 }, PositionEncoding::Utf16),
            5
        );
        assert_eq!(
            idx.offset(text, LineCol { line: 0, col: 99 }, PositionEncoding::Utf16),
            2
        );
        assert_eq!(
            idx.position(text, 999, PositionEncoding::Utf16),
            LineCol { line: 1, col: 2 }
        );
    }
}
