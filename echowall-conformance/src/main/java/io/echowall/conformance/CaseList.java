package io.echowall.conformance;

import java.util.ArrayList;
import java.util.List;

/** Collects the cases of one family, checking that each id belongs to it. */
final class CaseList {

    private final Family family;
    private final List<ConformanceCase> cases = new ArrayList<>();

    CaseList(Family family) {
        this.family = family;
    }

    void add(String id, String description, ConformanceCase.Body body) {
        if (!id.startsWith(family.number() + ".")) {
            throw new IllegalArgumentException(id + " is not in family " + family.number());
        }
        cases.add(new ConformanceCase(id, family, description, body));
    }

    List<ConformanceCase> toList() {
        return List.copyOf(cases);
    }
}
