//! Excel workbooks in the city format (issue 6). See ARCHITECTURE.md.
