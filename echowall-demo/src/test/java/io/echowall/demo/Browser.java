package io.echowall.demo;

import io.echowall.external.ExternalPrograms;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * One headless Chromium for a test class, driven through {@link DevTools}: register it in a static
 * field with {@code @RegisterExtension}. The browser starts before the class's first test and stops
 * after its last; a failing test's message gets the browser's log. Without Chromium each test is
 * skipped, or fails when CI requires the browser (see {@link ExternalPrograms#chromium()}).
 */
final class Browser implements BeforeEachCallback, AfterAllCallback, TestExecutionExceptionHandler {

    private Chromium chromium;
    private DevTools devTools;

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        var executable = ExternalPrograms.chromium();
        if (chromium == null) {
            chromium = Chromium.launch(executable);
            devTools = DevTools.connect(chromium.devTools());
        }
    }

    /** Opens a new tab at {@code about:blank}. */
    DevTools.Page newPage() {
        return devTools.newPage();
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        if (chromium == null || failure instanceof TestAbortedException) {
            throw failure;
        }
        throw new AssertionError(failure.getMessage() + "\n--- Chromium's log\n" + chromium.log(), failure);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (devTools != null) {
                devTools.close();
            }
        } finally {
            if (chromium != null) {
                chromium.close();
            }
            chromium = null;
            devTools = null;
        }
    }
}
