package io.calltrack.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PhoneNumbersTest {
    final PhoneNumbers us = new PhoneNumbers("US");

    @Test
    void numbersAsPbxsAndPeopleWriteThemBecomeE164() {
        assertEquals(Optional.of("+12125550100"), us.toE164("(212) 555-0100"));
        assertEquals(Optional.of("+12125550100"), us.toE164(" 2125550100 "));
        assertEquals(Optional.of("+442079460000"), us.toE164("00442079460000"));
        assertEquals(Optional.of("+442079460000"), us.toE164("+442079460000"));
        assertEquals(Optional.of("+12125550100"), us.toE164("(212) 555-0100"), "asked again: the cached answer");
    }

    @Test
    void whatIsNoPhoneNumberIsEmpty() {
        assertEquals(Optional.empty(), us.toE164(null));
        assertEquals(Optional.empty(), us.toE164(""));
        assertEquals(Optional.empty(), us.toE164("anonymous"));
        assertEquals(Optional.empty(), us.toE164("unknown"));
        assertEquals(Optional.empty(), us.toE164("12"));
    }

    @Test
    void numbersAnAdminEntersAreCheckedAgainstTheNumberingPlan() {
        assertEquals("+12125550100", us.requireE164("212-555-0100", "number"));
        // E.164-shaped but too short for North America: a PBX's caller id is taken as is, an admin's entry is not
        assertEquals(Optional.of("+1212555"), us.toE164("+1212555"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> us.requireE164("+1212555", "number"));
        assertEquals("number '+1212555' is not a valid phone number (use E.164 such as +12125550100)", e.getMessage());
    }

    @Test
    void displayFormsFollowTheDefaultRegion() {
        assertEquals("(212) 555-0100", us.display("+12125550100"));
        assertEquals("+1 212-555-0100", us.displayInternational("+12125550100"));
    }
}
