/**
 * Echowall's test kit: {@link io.echowall.testing.TestServer} runs an app in the test's JVM on a free
 * port, {@link io.echowall.testing.TestClient} talks WebSocket to it as a well-behaved client and checks
 * what comes back, and {@link io.echowall.testing.RawWebSocket} sends whatever bytes a protocol edge
 * case needs. It works with any test framework: a failed expectation is an {@link AssertionError}.
 */
package io.echowall.testing;
