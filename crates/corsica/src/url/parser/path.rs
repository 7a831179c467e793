//! The [path start state](https://url.spec.whatwg.org/#path-start-state), the
//! [path state](https://url.spec.whatwg.org/#path-state) and the
//! [opaque path state](https://url.spec.whatwg.org/#cannot-be-a-base-url-path-state), with
//! [shorten a URL's path](https://url.spec.whatwg.org/#shorten-a-urls-path) and the Windows drive
//! letters of `file:` URLs.

use super::super::percent_encode::{CONTROLS, PATH, percent_encode};
use super::super::replace;
use super::{Parser, SchemeType};

impl Parser<'_> {
    /// The [path start state](https://url.spec.whatwg.org/#path-start-state).
    pub(super) fn parse_path_start<'i>(
        &mut self,
        scheme_type: SchemeType,
        has_host: &mut bool,
        input: &'i str,
    ) -> &'i str {
        let path_start = self.serialization.len();
        let first = input.bytes().next();
        if scheme_type.is_special() {
            // A special URL always has a non-empty path.
            if !self.serialization.ends_with('/') {
                self.serialization.push('/');
                if matches!(first, Some(b'/' | b'\\')) {
                    return self.parse_path(scheme_type, has_host, path_start, &input[1..]);
                }
            }
            return self.parse_path(scheme_type, has_host, path_start, input);
        }
        if matches!(first, Some(b'?' | b'#')) {
            return input;
        }
        if first.is_some_and(|c| c != b'/') {
            self.serialization.push('/');
        }
        self.parse_path(scheme_type, has_host, path_start, input)
    }

    /// The [path state](https://url.spec.whatwg.org/#path-state): segments up to `?`, `#` or the
    /// end, with `.` and `..` resolved; the rest of the input.
    pub(super) fn parse_path<'i>(
        &mut self,
        scheme_type: SchemeType,
        has_host: &mut bool,
        path_start: usize,
        mut input: &'i str,
    ) -> &'i str {
        let special = scheme_type.is_special();
        let file = scheme_type.is_file();
        loop {
            let mut segment_start = self.serialization.len();
            let bytes = input.as_bytes();
            let mut plain = 0;
            let mut i = 0;
            let mut ends_with_slash = false;
            while i < bytes.len() {
                match bytes[i] {
                    b'/' => ends_with_slash = true,
                    b'\\' if special => ends_with_slash = true,
                    b'?' | b'#' => break,
                    _ if file => {
                        // Note: as the `url` crate, text after a normalized Windows drive letter
                        // that is the whole path starts a new segment, where the crate has
                        // written the drive letter before reading on: at a tab or a newline.
                        let written = self.last_removed_between(input, plain, i);
                        percent_encode(&mut self.serialization, &input[plain..written], PATH);
                        plain = written;
                        if self.serialization.len() == path_start + 3
                            && is_normalized_windows_drive_letter(
                                &self.serialization[path_start + 1..],
                            )
                        {
                            self.serialization.push('/');
                            segment_start += 1;
                        }
                    }
                    _ => {}
                }
                if ends_with_slash {
                    break;
                }
                i += 1;
            }
            percent_encode(&mut self.serialization, &input[plain..i], PATH);
            if ends_with_slash {
                self.serialization.push('/');
                input = &input[i + 1..];
            } else {
                input = &input[i..];
            }
            let segment_end = self.serialization.len() - usize::from(ends_with_slash);
            let segment = &self.serialization[segment_start..segment_end];
            if is_double_dot_segment(segment) {
                // If buffer is a double-dot URL path segment, then: shorten url's path; if
                // neither c is U+002F (/), nor url is special and c is U+005C (\), append the
                // empty string to url's path.
                self.serialization.truncate(segment_start);
                if self.serialization.ends_with('/')
                    && last_slash_can_be_removed(&self.serialization, path_start)
                {
                    self.serialization.pop();
                }
                self.shorten_path(scheme_type, path_start);
                if ends_with_slash && !self.serialization.ends_with('/') {
                    self.serialization.push('/');
                }
            } else if is_single_dot_segment(segment) {
                // Otherwise, if buffer is a single-dot URL path segment and if neither c is
                // U+002F (/), nor url is special and c is U+005C (\), append the empty string.
                self.serialization.truncate(segment_start);
                if !self.serialization.ends_with('/') {
                    self.serialization.push('/');
                }
            } else if file && segment_start == path_start + 1 && is_windows_drive_letter(segment) {
                // If url's scheme is "file", url's path is empty, and buffer is a Windows drive
                // letter, then replace the second code point in buffer with U+003A (:); and if
                // url's host is neither the empty string nor null, set url's host to the empty
                // string.
                replace(
                    &mut self.serialization,
                    segment_start + 1..segment_start + 2,
                    ":",
                );
                *has_host = false;
            }
            if !ends_with_slash {
                break;
            }
        }
        if file {
            // While url's path's size is greater than 1 and url's path[0] is the empty string,
            // remove the first item from url's path (the `url` crate keeps one `/`).
            let slashes = self.serialization[path_start..]
                .bytes()
                .take_while(|&b| b == b'/')
                .count();
            if slashes != 1 {
                replace(
                    &mut self.serialization,
                    path_start..path_start + slashes,
                    "/",
                );
            }
        }
        input
    }

    /// The last place of a removed tab or newline in `input[plain..=i]`, or `plain`.
    fn last_removed_between(&self, input: &str, plain: usize, i: usize) -> usize {
        let offset = input.as_ptr() as usize - self.source;
        self.removed
            .iter()
            .rev()
            .map(|&at| at.wrapping_sub(offset))
            .find(|&at| at > plain && at <= i)
            .unwrap_or(plain)
    }

    /// [Shorten a URL's path](https://url.spec.whatwg.org/#shorten-a-urls-path).
    pub(super) fn shorten_path(&mut self, scheme_type: SchemeType, path_start: usize) {
        // Step 2. If url's scheme is "file", path's size is 1, and path[0] is a normalized
        // Windows drive letter, then return. Note: as the `url` crate, compares with the leading
        // `/`, so this never returns here.
        if scheme_type.is_file()
            && is_normalized_windows_drive_letter(&self.serialization[path_start..])
        {
            return;
        }
        // Step 3. Remove path's last item, if any.
        self.pop_path(scheme_type, path_start);
    }

    /// Removes the path's last segment (not a `file:` URL's normalized Windows drive letter).
    pub(super) fn pop_path(&mut self, scheme_type: SchemeType, path_start: usize) {
        let Some(slash) = self
            .serialization
            .get(path_start..)
            .and_then(|p| p.rfind('/'))
        else {
            return;
        };
        let segment_start = path_start + slash + 1;
        if !(scheme_type.is_file()
            && is_normalized_windows_drive_letter(&self.serialization[segment_start..]))
        {
            self.serialization.truncate(segment_start);
        }
    }

    /// The [opaque path state](https://url.spec.whatwg.org/#cannot-be-a-base-url-path-state):
    /// up to `?` or `#`, C0 controls percent-encoded.
    pub(super) fn parse_opaque_path<'i>(&mut self, input: &'i str) -> &'i str {
        let end = input.find(['?', '#']).unwrap_or(input.len());
        percent_encode(&mut self.serialization, &input[..end], CONTROLS);
        &input[end..]
    }
}

/// A [single-dot URL path segment](https://url.spec.whatwg.org/#single-dot-path-segment).
fn is_single_dot_segment(segment: &str) -> bool {
    segment == "." || segment.eq_ignore_ascii_case("%2e")
}

/// A [double-dot URL path segment](https://url.spec.whatwg.org/#double-dot-path-segment).
fn is_double_dot_segment(segment: &str) -> bool {
    [
        segment == "..",
        segment.eq_ignore_ascii_case(".%2e"),
        segment.eq_ignore_ascii_case("%2e."),
    ]
    .contains(&true)
        || segment.eq_ignore_ascii_case("%2e%2e")
}

/// Whether the last `/` of the serialization can go when `..` shortens the path: not the root
/// slash, nor the one after a Windows drive letter.
fn last_slash_can_be_removed(serialization: &str, path_start: usize) -> bool {
    let before = &serialization[..serialization.len() - 1];
    before.rfind('/').is_some_and(|segment_before_start| {
        segment_before_start >= path_start
            && !path_starts_with_windows_drive_letter(&serialization[segment_before_start..])
    })
}

/// A slash (or `?`, `#`) then what starts with a Windows drive letter.
fn path_starts_with_windows_drive_letter(s: &str) -> bool {
    matches!(s.as_bytes().first(), Some(b'/' | b'\\' | b'?' | b'#'))
        && starts_with_windows_drive_letter(&s[1..])
}

/// A [Windows drive letter](https://url.spec.whatwg.org/#windows-drive-letter): an ASCII alpha
/// then `:` or `|`.
pub(super) fn is_windows_drive_letter(segment: &str) -> bool {
    segment.len() == 2 && starts_with_windows_drive_letter(segment)
}

/// A [normalized Windows drive letter](https://url.spec.whatwg.org/#normalized-windows-drive-letter).
pub(super) fn is_normalized_windows_drive_letter(segment: &str) -> bool {
    is_windows_drive_letter(segment) && segment.as_bytes()[1] == b':'
}

/// [Starts with a Windows drive letter](https://url.spec.whatwg.org/#start-with-a-windows-drive-letter).
pub(super) fn starts_with_windows_drive_letter(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2
        && b[0].is_ascii_alphabetic()
        && matches!(b[1], b':' | b'|')
        && (b.len() == 2 || matches!(b[2], b'/' | b'\\' | b'?' | b'#'))
}
