package org.msa4james.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SingleLabelExpanderTest {
    private final SingleLabelExpander expander = new SingleLabelExpander(
        DomainQualifier.parseExpansions("sales=sales.example.test, eng=eng.example.test"));

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "bob@sales|bob@sales.example.test",
        "bob@SALES|bob@sales.example.test",
        "Bob <bob@sales>|Bob <bob@sales.example.test>",
        "bob@sales (Bob in sales)|bob@sales.example.test (Bob in sales)",
        "bob @ (at) sales|bob @ (at) sales.example.test",
        "\"Smith, Bob\" <bob@sales>, carol@eng|\"Smith, Bob\" <bob@sales.example.test>, carol@eng.example.test",
        "=?UTF-8?Q?B=C3=B6b?= <bob@sales>|=?UTF-8?Q?B=C3=B6b?= <bob@sales.example.test>",
        "team: bob@sales, carol@example.com;, dave@eng|team: bob@sales.example.test, carol@example.com;, dave@eng.example.test",
        "\"bob smith\"@sales|\"bob smith\"@sales.example.test",
        "<@relay.example.com:bob@sales>|<@relay.example.com:bob@sales.example.test>"
    })
    void expandShouldReplaceOnlyTheSingleLabelDomains(String value, String expected) throws Exception {
        assertThat(expander.expand(value)).contains(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "bob@sales.example.test",
        "bob@squeaky.sales",
        "bob@marketing",
        "bob@[192.0.2.1]",
        "undisclosed-recipients:;",
        "Sales <sales@example.com>"
    })
    void expandShouldLeaveEverythingElse(String value) throws Exception {
        assertThat(expander.expand(value)).isEmpty();
    }

    @Test
    void expandShouldKeepFolding() throws Exception {
        assertThat(expander.expand("Bob <bob@sales>,\r\n Carol <carol@example.com>,\r\n\tdave@eng"))
            .contains("Bob <bob@sales.example.test>,\r\n Carol <carol@example.com>,\r\n\tdave@eng.example.test");
    }

    @Test
    void expandShouldThrowOnAValueThatIsNoAddressList() {
        assertThatThrownBy(() -> expander.expand("bob@sales; carol@eng"))
            .isInstanceOf(AddressSyntaxException.class)
            .hasMessage("expected ',' between addresses, found ';'");
    }

    @Test
    void anExpanderWithoutExpansionsShouldChangeNothingAndParseNothing() throws Exception {
        SingleLabelExpander none = new SingleLabelExpander(Map.of());

        assertThat(none.isEmpty()).isTrue();
        assertThat(none.expand("not even ; an address")).isEmpty();
    }
}
