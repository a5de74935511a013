package io.echowall.conformance;

/** One HTTP header line, kept as written so the suite can send odd casing, duplicates and omissions. */
record Header(String name, String value) {
}
