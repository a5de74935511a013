package io.echowall.demo;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** What the chat's browser tests do in a chat tab, as a user would, and what they read off it. */
final class ChatTabs {

    private ChatTabs() {
    }

    /** Opens the chat at {@code chat} in {@code page} and enters as {@code nick}, as a user would. */
    static void enter(DevTools.Page page, URI chat, String nick) {
        page.navigate(chat);
        page.await("the nickname field", () -> !page.evaluate("document.getElementById('nick').disabled").asBoolean());
        page.click("#nick");
        page.insertText(nick);
        page.pressEnter();
        page.await(nick + " in the lobby", () -> title(page).equals("# lobby"));
    }

    static void say(DevTools.Page page, String text) {
        page.click("#text");
        page.insertText(text);
        page.pressEnter();
    }

    static String title(DevTools.Page page) {
        return text(page, "#room-title");
    }

    static List<String> members(DevTools.Page page) {
        return texts(page, "#members li");
    }

    /** What was said in the room shown, as "who: what". */
    static List<String> said(DevTools.Page page) {
        List<String> said = new ArrayList<>();
        page.evaluate("Array.from(document.querySelectorAll('#messages li.said'),"
                + " (li) => li.querySelector('.from').textContent + ': ' + li.querySelector('.text').textContent)")
                .forEach(line -> said.add(line.asText()));
        return said;
    }

    /** The arrivals and departures shown in the room shown. */
    static List<String> notes(DevTools.Page page) {
        return texts(page, "#messages li.note");
    }

    static String text(DevTools.Page page, String selector) {
        return page.evaluate("document.querySelector('" + selector + "').textContent").asText();
    }

    static List<String> texts(DevTools.Page page, String selector) {
        List<String> texts = new ArrayList<>();
        page.evaluate("Array.from(document.querySelectorAll('" + selector + "'), (e) => e.textContent)")
                .forEach(e -> texts.add(e.asText()));
        return texts;
    }
}
