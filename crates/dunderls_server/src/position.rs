//! LSP positions <-> byte offsets.
//!
//! Column arithmetic always goes through `dunderls_python::LineIndex`, the
//! single implementation of UTF-8/UTF-16/UTF-32 columns. Two front-ends:
//!
//! - `RopePositions` for the live document (a ropey `Rope` built with
//!   `cr_lines` and without `unicode_lines`, so its lines end exactly where
//!   LSP's do: `\n`, `\r\n`, lone `\r`). The rope finds the line in
//!   O(log n); a `LineIndex` of that one line does the column. This keeps a
//!   keystroke from rebuilding an index of the whole file.
//! - `TextPositions` for an analysed snapshot (text plus its `LineIndex`).
//!
//! A test checks both against `LineIndex` on the whole text.

use std::borrow::Cow;

use dunderls_python::{LineCol, LineIndex, PositionEncoding};
use ropey::Rope;
use tower_lsp_server::ls_types::{Position, PositionEncodingKind, Range};

/// The negotiated encoding: UTF-8 when the client offers it, else UTF-16
/// (the LSP default). UTF-32 is accepted when it is the only other offer.
pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> PositionEncoding {
    let Some(offered) = offered else {
        return PositionEncoding::Utf16;
    };
    if offered.contains(&PositionEncodingKind::UTF8) {
        PositionEncoding::Utf8
    } else if offered.contains(&PositionEncodingKind::UTF16) || offered.is_empty() {
        PositionEncoding::Utf16
    } else if offered.contains(&PositionEncodingKind::UTF32) {
        PositionEncoding::Utf32
    } else {
        PositionEncoding::Utf16
    }
}

pub fn encoding_kind(enc: PositionEncoding) -> PositionEncodingKind {
    match enc {
        PositionEncoding::Utf8 => PositionEncodingKind::UTF8,
        PositionEncoding::Utf16 => PositionEncodingKind::UTF16,
        PositionEncoding::Utf32 => PositionEncodingKind::UTF32,
    }
}

fn line_col(p: Position) -> LineCol {
    LineCol {
        line: p.line,
        col: p.character,
    }
}

fn position(lc: LineCol) -> Position {
    Position {
        line: lc.line,
        character: lc.col,
    }
}

/// Conversions against the live rope.
pub struct RopePositions<'a> {
    pub rope: &'a Rope,
    pub enc: PositionEncoding,
}

impl<'a> RopePositions<'a> {
    pub fn new(rope: &'a Rope, enc: PositionEncoding) -> Self {
        RopePositions { rope, enc }
    }

    fn line_text(&self, line: usize) -> Cow<'a, str> {
        Cow::from(self.rope.line(line))
    }

    /// Byte offset of an LSP position, clamped like `LineIndex::offset`: a
    /// line past the end maps to the end of the text, a column past the end
    /// of its line to the end of the line, a column inside a character to
    /// the character's start.
    pub fn offset(&self, pos: Position) -> usize {
        let line = pos.line as usize;
        if line >= self.rope.len_lines() {
            return self.rope.len_bytes();
        }
        let start = self.rope.line_to_byte(line);
        let text = self.line_text(line);
        let index = LineIndex::new(&text);
        start
            + index.offset(
                &text,
                LineCol {
                    line: 0,
                    col: pos.character,
                },
                self.enc,
            )
    }

    /// LSP position of a byte offset (clamped; inside a character: its start).
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.rope.len_bytes());
        let line = self.rope.byte_to_line(offset);
        let start = self.rope.line_to_byte(line);
        let text = self.line_text(line);
        let index = LineIndex::new(&text);
        let col = index.position(&text, offset - start, self.enc).col;
        Position {
            line: line as u32,
            character: col,
        }
    }

    pub fn range(&self, range: &std::ops::Range<usize>) -> Range {
        Range {
            start: self.position(range.start),
            end: self.position(range.end),
        }
    }

    /// Zero-based line of a byte offset (clamped).
    pub fn line_of(&self, offset: usize) -> usize {
        self.rope.byte_to_line(offset.min(self.rope.len_bytes()))
    }

    /// Byte offset where `line` starts (clamped to the end of the text).
    pub fn line_start(&self, line: usize) -> usize {
        if line >= self.rope.len_lines() {
            self.rope.len_bytes()
        } else {
            self.rope.line_to_byte(line)
        }
    }
}

/// Conversions against an analysed snapshot.
pub struct TextPositions<'a> {
    pub text: &'a str,
    pub index: &'a LineIndex,
    pub enc: PositionEncoding,
}

impl<'a> TextPositions<'a> {
    pub fn new(text: &'a str, index: &'a LineIndex, enc: PositionEncoding) -> Self {
        TextPositions { text, index, enc }
    }

    pub fn offset(&self, pos: Position) -> usize {
        self.index.offset(self.text, line_col(pos), self.enc)
    }

    pub fn position(&self, offset: usize) -> Position {
        position(self.index.position(self.text, offset, self.enc))
    }

    pub fn range(&self, range: &std::ops::Range<usize>) -> Range {
        Range {
            start: self.position(range.start),
            end: self.position(range.end),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (no external crates needed).
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    const PIECES: &[&str] = &[
        "a", "b", " ", "é", "中文", "😀", "\n", "\r\n", "\r", "\x0c", "\u{2028}", "x = 1", "#",
    ];

    #[test]
    fn rope_conversions_agree_with_line_index_on_the_whole_text() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..300 {
            let mut text = String::new();
            for _ in 0..rng.below(40) {
                text.push_str(PIECES[rng.below(PIECES.len())]);
            }
            let rope = Rope::from_str(&text);
            let index = LineIndex::new(&text);
            assert_eq!(rope.len_lines(), index.line_count(), "{text:?}");
            for enc in [
                PositionEncoding::Utf8,
                PositionEncoding::Utf16,
                PositionEncoding::Utf32,
            ] {
                let rp = RopePositions::new(&rope, enc);
                let tp = TextPositions::new(&text, &index, enc);
                for offset in 0..=text.len() + 2 {
                    assert_eq!(
                        rp.position(offset),
                        tp.position(offset),
                        "{text:?} {offset} {enc:?}"
                    );
                }
                for line in 0..index.line_count() as u32 + 2 {
                    for character in 0..12 {
                        let p = Position { line, character };
                        assert_eq!(rp.offset(p), tp.offset(p), "{text:?} {p:?} {enc:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn round_trips_non_ascii_and_crlf() {
        let text = "s = 'é中文😀'\r\nt = 1\rz\n";
        let rope = Rope::from_str(text);
        for enc in [
            PositionEncoding::Utf8,
            PositionEncoding::Utf16,
            PositionEncoding::Utf32,
        ] {
            let rp = RopePositions::new(&rope, enc);
            for (offset, _) in text.char_indices() {
                if text[..offset].ends_with('\r') && text[offset..].starts_with('\n') {
                    continue; // between CR and LF: not addressable in LSP
                }
                assert_eq!(rp.offset(rp.position(offset)), offset, "{enc:?} {offset}");
            }
        }
        let rp = RopePositions::new(&rope, PositionEncoding::Utf16);
        let after_emoji = text.find('\'').map(|i| i + 1).unwrap_or(0) + "é中文😀".len();
        assert_eq!(
            rp.position(after_emoji),
            Position {
                line: 0,
                character: 10
            }
        );
        // Inside the surrogate pair: the emoji's start.
        let emoji = text.find('😀').unwrap_or(0);
        assert_eq!(
            rp.offset(Position {
                line: 0,
                character: 8
            }),
            emoji
        );
        assert_eq!(
            rp.position(text.find('t').unwrap_or(0)),
            Position {
                line: 1,
                character: 0
            }
        );
        assert_eq!(
            rp.position(text.find('z').unwrap_or(0)),
            Position {
                line: 2,
                character: 0
            }
        );
    }

    #[test]
    fn negotiation_prefers_utf8() {
        use PositionEncodingKind as K;
        assert_eq!(negotiate(None), PositionEncoding::Utf16);
        assert_eq!(
            negotiate(Some(&[K::UTF16, K::UTF8])),
            PositionEncoding::Utf8
        );
        assert_eq!(negotiate(Some(&[K::UTF16])), PositionEncoding::Utf16);
        assert_eq!(negotiate(Some(&[K::UTF32])), PositionEncoding::Utf32);
        assert_eq!(negotiate(Some(&[K::new("bogus")])), PositionEncoding::Utf16);
    }
}
