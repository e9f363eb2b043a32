package io.calltrack.telephony.agi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.calltrack.telephony.agi.peer.FakeAsterisk;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgiCommandTest {

    @Test
    void valuesSurviveAsterisksArgumentParser() {
        String value = "say \"hi\" C:\\dir\\ (1) ${X}";
        AgiCommand set = AgiCommand.setVariable("CALLTRACK_NOTE", value);
        assertEquals(List.of("SET", "VARIABLE", "CALLTRACK_NOTE", value), FakeAsterisk.parseArgs(set.line()));
        assertEquals(List.of("SET", "VARIABLE", "EMPTY", ""),
                FakeAsterisk.parseArgs(AgiCommand.setVariable("EMPTY", "").line()));
    }

    @Test
    void execSendsTheApplicationArgumentsAsOneWord() {
        AgiCommand dial = AgiCommand.exec("Dial", "PJSIP/101&PJSIP/102,20,tT");
        assertEquals("EXEC Dial \"PJSIP/101&PJSIP/102,20,tT\"", dial.line());
        assertEquals(List.of("EXEC", "Dial", "PJSIP/101&PJSIP/102,20,tT"), FakeAsterisk.parseArgs(dial.line()));
        assertEquals("EXEC NoOp", AgiCommand.exec("NoOp", "").line());
    }

    @Test
    void commandsReadAsDocumented() {
        assertEquals("GET DATA \"calltrack/enter-code\" 5000 4",
                AgiCommand.getData("calltrack/enter-code", Duration.ofSeconds(5), 4).line());
        assertEquals("GET VARIABLE DIALSTATUS", AgiCommand.getVariable("DIALSTATUS").line());
        assertEquals("GET FULL VARIABLE \"${CALLERID(num)}-${EXTEN}\"",
                AgiCommand.getFullVariable("${CALLERID(num)}-${EXTEN}").line());
        assertEquals("STREAM FILE \"beep\" \"\"", AgiCommand.streamFile("beep", "").line());
        assertEquals("VERBOSE \"routing to sales\" 3", AgiCommand.verbose("routing to sales", 3).line());
        assertEquals("HANGUP", AgiCommand.hangup().line());
        assertEquals("ANSWER", AgiCommand.answer().line());
        assertEquals("CHANNEL STATUS", AgiCommand.channelStatus().line());
    }

    @Test
    void lineBreaksAndOddNamesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> AgiCommand.setVariable("X", "a\nHANGUP"));
        assertThrows(IllegalArgumentException.class, () -> AgiCommand.setVariable("X", "a\rb"));
        assertThrows(IllegalArgumentException.class, () -> AgiCommand.getVariable("A B"));
        assertThrows(IllegalArgumentException.class, () -> AgiCommand.exec("Dial\"", "x"));
    }
}
