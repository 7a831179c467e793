//! Writing the output objects.
