package io.echowall.http;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryStringTest {

    @Test
    void emptyOrMissingHasNoParameters() {
        assertThat(QueryString.parse(null)).isEmpty();
        assertThat(QueryString.parse("")).isEmpty();
        assertThat(QueryString.parse("&&")).isEmpty();
    }

    @Test
    void repeatedNamesKeepEveryValueInOrder() {
        Map<String, List<String>> params = QueryString.parse("a=1&b=2&a=3");

        assertThat(params).containsExactly(Map.entry("a", List.of("1", "3")), Map.entry("b", List.of("2")));
    }

    @Test
    void plusIsASpaceAndEscapesAreDecoded() {
        Map<String, List<String>> params = QueryString.parse("q=hello+world&e=%E2%82%AC%2B1&n%61me=x");

        assertThat(params.get("q")).containsExactly("hello world");
        assertThat(params.get("e")).containsExactly("€+1");
        assertThat(params.get("name")).containsExactly("x");
    }

    @Test
    void nameWithoutValueHasAnEmptyValue() {
        Map<String, List<String>> params = QueryString.parse("flag&x=");

        assertThat(params.get("flag")).containsExactly("");
        assertThat(params.get("x")).containsExactly("");
    }

    @Test
    void onlyTheFirstEqualsSignSeparates() {
        assertThat(QueryString.parse("expr=a=b").get("expr")).containsExactly("a=b");
    }

    @Test
    void malformedEscapesAreKeptLiterally() {
        Map<String, List<String>> params = QueryString.parse("bad=%zz&cut=50%");

        assertThat(params.get("bad")).containsExactly("%zz");
        assertThat(params.get("cut")).containsExactly("50%");
    }

    @Test
    void resultCannotBeModified() {
        Map<String, List<String>> params = QueryString.parse("a=1");

        assertThatThrownBy(() -> params.put("b", List.of())).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> params.get("a").add("2")).isInstanceOf(UnsupportedOperationException.class);
    }
}
