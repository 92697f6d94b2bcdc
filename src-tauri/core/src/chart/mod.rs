//! Charts for the 区政会議 (issue 5). See ARCHITECTURE.md.
