//! RFC 6242 message framing: base:1.0 end-of-message marker and base:1.1 chunked framing.
//!
//! Both peers start in end-of-message framing for the `<hello>` exchange and switch to chunked
//! framing when both advertise `urn:ietf:params:netconf:base:1.1`. Bytes arrive from SSH in arbitrary
//! pieces, so [`Decoder`] buffers and yields whole messages.

/// The base:1.0 end-of-message marker.
pub const END_OF_MESSAGE: &[u8] = b"]]>]]>";
/// RFC 6242 caps a chunk at 4294967295 octets; far less is ever sent.
const MAX_CHUNK: u64 = 4_294_967_295;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// `urn:ietf:params:netconf:base:1.0`: messages end with `]]>]]>`.
    EndOfMessage,
    /// `urn:ietf:params:netconf:base:1.1`: `\n#<size>\n<data>` chunks, ended by `\n##\n`.
    Chunked,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FramingError {
    #[error("malformed chunk header at byte {0}")]
    BadChunkHeader(usize),
    #[error("message exceeds the limit of {0} bytes")]
    TooLarge(usize),
    #[error("message is not valid UTF-8")]
    NotUtf8,
}

/// Frames one message for sending.
pub fn encode(framing: Framing, message: &str) -> Vec<u8> {
    match framing {
        Framing::EndOfMessage => [message.as_bytes(), END_OF_MESSAGE].concat(),
        Framing::Chunked if message.is_empty() => b"\n##\n".to_vec(),
        Framing::Chunked => format!("\n#{}\n{message}\n##\n", message.len()).into_bytes(),
    }
}

/// Reassembles whole messages from bytes as they arrive.
#[derive(Debug)]
pub struct Decoder {
    framing: Framing,
    buf: Vec<u8>,
    limit: usize,
}

impl Decoder {
    /// `limit` bounds one message, so a misbehaving peer cannot exhaust memory.
    pub fn new(framing: Framing, limit: usize) -> Self {
        Decoder { framing, buf: Vec::new(), limit }
    }

    /// After the hello exchange both sides may switch to chunked framing.
    pub fn set_framing(&mut self, framing: Framing) {
        self.framing = framing;
    }

    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// The next whole message, if one has arrived.
    pub fn next_message(&mut self) -> Result<Option<String>, FramingError> {
        let taken = match self.framing {
            Framing::EndOfMessage => self.take_end_of_message()?,
            Framing::Chunked => self.take_chunked()?,
        };
        taken.map(|bytes| String::from_utf8(bytes).map_err(|_| FramingError::NotUtf8)).transpose()
    }

    fn take_end_of_message(&mut self) -> Result<Option<Vec<u8>>, FramingError> {
        match self.buf.windows(END_OF_MESSAGE.len()).position(|w| w == END_OF_MESSAGE) {
            Some(end) => {
                let message = self.buf[..end].to_vec();
                self.buf.drain(..end + END_OF_MESSAGE.len());
                Ok(Some(message))
            }
            None if self.buf.len() > self.limit => Err(FramingError::TooLarge(self.limit)),
            None => Ok(None),
        }
    }

    fn take_chunked(&mut self) -> Result<Option<Vec<u8>>, FramingError> {
        let mut message = Vec::new();
        let mut at = 0;
        loop {
            let rest = &self.buf[at..];
            if rest.len() < 4 {
                return Ok(None);
            }
            if !rest.starts_with(b"\n#") {
                return Err(FramingError::BadChunkHeader(at));
            }
            if rest.starts_with(b"\n##\n") {
                self.buf.drain(..at + 4);
                return Ok(Some(message));
            }
            let digits = rest[2..].iter().take_while(|b| b.is_ascii_digit()).count();
            let Some(&after) = rest.get(2 + digits) else {
                return Ok(None); // the size is still arriving
            };
            if digits == 0 || digits > 10 || after != b'\n' || rest[2] == b'0' {
                return Err(FramingError::BadChunkHeader(at));
            }
            let size: u64 = std::str::from_utf8(&rest[2..2 + digits])
                .ok()
                .and_then(|s| s.parse().ok())
                .filter(|&n| n <= MAX_CHUNK)
                .ok_or(FramingError::BadChunkHeader(at))?;
            let size = usize::try_from(size).map_err(|_| FramingError::TooLarge(self.limit))?;
            if message.len() + size > self.limit {
                return Err(FramingError::TooLarge(self.limit));
            }
            let start = 3 + digits;
            if rest.len() < start + size {
                return Ok(None);
            }
            message.extend_from_slice(&rest[start..start + size]);
            at += start + size;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RPC: &str = r#"<rpc message-id="101" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><get/></rpc>"#;

    fn decode_all(framing: Framing, bytes: &[u8], piece: usize) -> Vec<String> {
        let mut decoder = Decoder::new(framing, 1 << 20);
        let mut out = Vec::new();
        for part in bytes.chunks(piece) {
            decoder.push(part);
            while let Some(m) = decoder.next_message().expect("decodes") {
                out.push(m);
            }
        }
        out
    }

    #[test]
    fn both_framings_round_trip_whatever_the_read_size() {
        for framing in [Framing::EndOfMessage, Framing::Chunked] {
            let wire = [encode(framing, RPC), encode(framing, "<hello/>")].concat();
            for piece in [1, 3, 7, 64, wire.len()] {
                assert_eq!(decode_all(framing, &wire, piece), vec![RPC.to_string(), "<hello/>".to_string()], "{framing:?} {piece}");
            }
        }
    }

    #[test]
    fn a_chunked_message_may_span_several_chunks() {
        // The example of RFC 6242 section 4.2.
        let wire = b"\n#4\n<rpc\n#18\n message-id=\"102\"\n\n#79\n     xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\">\n  <close-session/>\n</rpc>\n##\n";
        let got = decode_all(Framing::Chunked, wire, 5);
        assert_eq!(got.len(), 1);
        assert!(got[0].starts_with("<rpc message-id=\"102\"\n"), "{:?}", got[0]);
        assert!(got[0].ends_with("</rpc>"));
    }

    #[test]
    fn malformed_and_oversized_input_is_an_error_not_a_hang() {
        let mut d = Decoder::new(Framing::Chunked, 1 << 20);
        d.push(b"\n#x\n");
        assert_eq!(d.next_message(), Err(FramingError::BadChunkHeader(0)));

        let mut d = Decoder::new(Framing::Chunked, 1 << 20);
        d.push(b"\n#012\n");
        assert!(matches!(d.next_message(), Err(FramingError::BadChunkHeader(_))), "leading zero is not allowed");

        let mut d = Decoder::new(Framing::Chunked, 8);
        d.push(b"\n#9\n");
        assert_eq!(d.next_message(), Err(FramingError::TooLarge(8)));

        let mut d = Decoder::new(Framing::EndOfMessage, 8);
        d.push(b"0123456789");
        assert_eq!(d.next_message(), Err(FramingError::TooLarge(8)));
    }

    #[test]
    fn framing_switches_after_hello() {
        let mut d = Decoder::new(Framing::EndOfMessage, 1 << 20);
        d.push(&encode(Framing::EndOfMessage, "<hello/>"));
        assert_eq!(d.next_message().expect("hello").as_deref(), Some("<hello/>"));
        d.set_framing(Framing::Chunked);
        d.push(&encode(Framing::Chunked, RPC));
        assert_eq!(d.next_message().expect("rpc").as_deref(), Some(RPC));
    }
}
