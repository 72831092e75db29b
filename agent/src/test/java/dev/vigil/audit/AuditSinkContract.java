package dev.vigil.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.fact.Evidence;
import dev.vigil.fact.Target;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every journal does, whatever it writes to. Each kind of journal extends this class and says how to make
 * one and how to read back the lines it wrote.
 */
abstract class AuditSinkContract {
    static final String GENESIS = "0".repeat(64);
    static final ObjectMapper PLAIN = new ObjectMapper();

    final FakeClock clock = new FakeClock("2024-05-01T12:00:00.123456789Z");

    /** A new, empty journal on the given clock. */
    abstract AuditJournal newJournal(FakeClock clock) throws IOException;

    /** The lines the journal has written so far, split on '\n' only. */
    abstract List<String> written(AuditJournal journal) throws IOException;

    /** The journal's lines verified the way {@code vigil audit verify} would. */
    abstract VerifyResult verify(AuditJournal journal) throws IOException;

    @Test
    void recordsFormAChainFromGenesis_eachHashCoveringTheLineWithoutIt() throws IOException {
        try (AuditJournal journal = newJournal(clock)) {
            AuditRecord first = journal.append("diagnosis", Map.of("signature", "db-pool-saturated"));
            AuditRecord second = journal.append("gate", Map.of("decision", "execute"));
            AuditRecord third = journal.append("step", Map.of("exit", 0));
            journal.commit();

            assertEquals(List.of(1L, 2L, 3L), List.of(first.seq(), second.seq(), third.seq()));
            assertEquals(GENESIS, first.prev());
            assertEquals(first.hash(), second.prev());
            assertEquals(second.hash(), third.prev());
            assertEquals(3, journal.size());

            List<String> lines = written(journal);
            assertEquals(3, lines.size());
            List<AuditRecord> records = List.of(first, second, third);
            for (int i = 0; i < 3; i++) {
                String line = lines.get(i);
                assertEquals(AuditFiles.sha256(AuditFiles.body(line)), records.get(i).hash(), "line " + (i + 1));
                assertEquals(records.get(i).hash(), AuditFiles.hashOf(line));
            }
            assertEquals(VerifyResult.intact(3), verify(journal));
        }
    }

    @Test
    void aRecordIsWrittenInTheCanonicalForm() throws IOException {
        try (AuditJournal journal = newJournal(clock)) {
            Map<String, Object> nested = new LinkedHashMap<>();
            nested.put("y", null);
            nested.put("x", true);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("b", nested);
            data.put("a", 1);
            data.put("c", List.of("s", 2.5));
            AuditRecord record = journal.append("gate", data);

            String body = "{\"seq\":1,\"time\":\"2024-05-01T12:00:00.123Z\",\"type\":\"gate\","
                    + "\"data\":{\"a\":1,\"b\":{\"x\":true,\"y\":null},\"c\":[\"s\",2.5]},"
                    + "\"prev\":\"" + GENESIS + "\"}";
            String hash = AuditFiles.sha256(body);
            assertEquals(List.of(body.substring(0, body.length() - 1) + ",\"hash\":\"" + hash + "\"}"),
                    written(journal));
            assertEquals(new AuditRecord(1, "2024-05-01T12:00:00.123Z", "gate",
                    PLAIN.readTree("{\"a\":1,\"b\":{\"x\":true,\"y\":null},\"c\":[\"s\",2.5]}"), GENESIS, hash), record);
        }
    }

    @Test
    void timeComesFromTheClock_inUtcWithMilliseconds() throws IOException {
        try (AuditJournal journal = newJournal(clock)) {
            assertEquals("2024-05-01T12:00:00.123Z", journal.append("a", Map.of()).time());
            clock.advance(Duration.ofMillis(877).minusNanos(456789));
            assertEquals("2024-05-01T12:00:01.000Z", journal.append("b", Map.of()).time());
            clock.advance(Duration.ofDays(400));
            assertEquals("2025-06-05T12:00:01.000Z", journal.append("c", Map.of()).time());
        }
    }

    @Test
    void sameDataInAnyInsertionOrder_hashesTheSame() throws IOException {
        Map<String, Object> innerAb = new LinkedHashMap<>();
        innerAb.put("a", 1);
        innerAb.put("b", List.of(Map.of("q", 1, "p", 2)));
        Map<String, Object> ab = new LinkedHashMap<>();
        ab.put("target", "db-1");
        ab.put("inner", innerAb);

        Map<String, Object> innerBa = new LinkedHashMap<>();
        innerBa.put("b", List.of(new LinkedHashMap<>(Map.of("p", 2, "q", 1))));
        innerBa.put("a", 1);
        Map<String, Object> ba = new HashMap<>();
        ba.put("inner", innerBa);
        ba.put("target", "db-1");

        AuditRecord one;
        AuditRecord other;
        String oneLine;
        String otherLine;
        try (AuditJournal journal = newJournal(clock)) {
            one = journal.append("evidence", ab);
            oneLine = written(journal).get(0);
        }
        try (AuditJournal journal = newJournal(clock)) {
            other = journal.append("evidence", ba);
            otherLine = written(journal).get(0);
        }
        assertEquals(one.hash(), other.hash());
        assertEquals(oneLine, otherLine);
        assertTrue(oneLine.contains("\"data\":{\"inner\":{\"a\":1,\"b\":[{\"p\":2,\"q\":1}]},\"target\":\"db-1\"}"),
                oneLine);
    }

    record Step(String playbook, Map<String, Object> params, int attempt) {
    }

    @Test
    void recordsAndFactsAreWrittenThroughJackson_withSortedKeys() throws IOException {
        try (AuditJournal journal = newJournal(clock)) {
            Evidence evidence = Evidence.of("db-pool-saturated", "pool_saturated",
                    Target.serviceHost("checkout", "db-1"), "pool HikariPool-1 saturated 10/10 for 75s", 1_714_564_800_000L);
            AuditRecord record = journal.append("evidence", Map.of(
                    "step", new Step("recycle-pool", Map.of("pool", "HikariPool-1", "drain", true), 1),
                    "evidence", evidence));

            assertEquals("{\"attempt\":1,\"params\":{\"drain\":true,\"pool\":\"HikariPool-1\"},\"playbook\":\"recycle-pool\"}",
                    record.data().get("step").toString());
            JsonNode written = record.data().get("evidence");
            assertEquals("db-pool-saturated", written.get("signature").asText());
            assertEquals("db-1", written.at("/target/labels/host").asText());
            List<String> names = new ArrayList<>();
            written.fieldNames().forEachRemaining(names::add);
            assertEquals(names.stream().sorted().toList(), names);
            assertEquals(VerifyResult.intact(1), verify(journal));
        }
    }

    @Test
    void numbersAreWrittenAsTheyReadBack_soTheChainVerifies() throws IOException {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("decimal", new BigDecimal("1.10"));
        data.put("float", 0.1f);
        data.put("huge", 1e300);
        data.put("tiny", 4.9e-324);
        data.put("nan", Double.NaN);
        data.put("negativeZero", -0.0);
        data.put("long", Long.MAX_VALUE);
        data.put("bigInteger", BigInteger.TWO.pow(100));
        data.put("exponent", new BigDecimal("1E+400"));
        try (AuditJournal journal = newJournal(clock)) {
            AuditRecord record = journal.append("score", data);
            journal.commit();

            assertEquals("1.1", record.data().get("decimal").asText());
            assertEquals("NaN", record.data().get("nan").textValue());
            assertEquals(Long.MAX_VALUE, record.data().get("long").longValue());
            assertEquals(BigInteger.TWO.pow(100), record.data().get("bigInteger").bigIntegerValue());
            assertEquals(VerifyResult.intact(1), verify(journal));
        }
    }

    @Test
    void hostileStringsStayOnOneLine_andReadBackExactly() throws IOException {
        String big = "x\n\"\\".repeat(25_000) + "y".repeat(100); // 100 KB, breaks and escapes throughout
        List<String> hostile = List.of(
                "line one\nline two", "carriage\rreturn", "crlf\r\n", "ls\u2028ps\u2029nel\u0085",
                "quote \" and backslash \\ and \\\" both", "nul\u0000bell\u0007esc\u001b[31mred",
                "lone high \uD800 and lone low \uDC00 surrogates", "emoji \uD83D\uDE00 paired", "tab\tend",
                "{\"seq\":99,\"hash\":\"forged\"}\n{\"seq\":100}", big);
        try (AuditJournal journal = newJournal(clock)) {
            for (String text : hostile) {
                journal.append("log\nline", Map.of("body", text, "key\nwith\u2028break", text));
            }
            journal.commit();

            List<String> lines = written(journal);
            assertEquals(hostile.size(), lines.size(), "one line per record");
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                assertFalse(line.chars().anyMatch(c -> c < 0x20 || c == 0x85 || c == 0x2028 || c == 0x2029
                        || Character.isSurrogate((char) c)), "line " + (i + 1) + " has a raw break or surrogate");
                JsonNode read = PLAIN.readTree(line);
                assertEquals(hostile.get(i), read.at("/data/body").textValue(), "line " + (i + 1));
                assertEquals(hostile.get(i), read.get("data").get("key\nwith\u2028break").textValue());
                assertEquals("log\nline", read.get("type").textValue());
            }
            assertEquals(VerifyResult.intact(hostile.size()), verify(journal));
        }
    }

    @Test
    void concurrentAppendsFromFourThreads_formOneIntactChain() throws Exception {
        int threads = 4;
        int perThread = 500;
        try (AuditJournal journal = newJournal(clock)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Callable<List<Long>> task = () -> {
                    start.await();
                    List<Long> seqs = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        seqs.add(journal.append("step", Map.of("thread", thread, "i", i)).seq());
                        if (i % 50 == 49) {
                            journal.commit();
                        }
                    }
                    return seqs;
                };
                results.add(pool.submit(task));
            }
            start.countDown();
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> result : results) {
                List<Long> seqs = result.get(60, TimeUnit.SECONDS);
                assertEquals(seqs.stream().sorted().toList(), seqs, "a thread's records keep its order");
                all.addAll(seqs);
            }
            pool.shutdown();
            journal.commit();

            assertEquals(threads * perThread, journal.size());
            long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
            long[] expected = new long[threads * perThread];
            Arrays.setAll(expected, i -> i + 1);
            assertTrue(Arrays.equals(expected, sorted), "every seq from 1 to 2000 exactly once");
            assertEquals(VerifyResult.intact(threads * perThread), verify(journal));
        }
    }

    @Test
    void misuseIsRefusedWithTheOffendingValue_andWritesNothing() throws IOException {
        try (AuditJournal journal = newJournal(clock)) {
            journal.append("first", Map.of());

            assertEquals("audit record type must not be blank, was ' '",
                    assertThrows(IllegalArgumentException.class, () -> journal.append(" ", Map.of())).getMessage());
            assertEquals("audit record type must not be blank, was null",
                    assertThrows(IllegalArgumentException.class, () -> journal.append(null, Map.of())).getMessage());
            assertEquals("audit data for type 'gate' must not be null (use Map.of())",
                    assertThrows(IllegalArgumentException.class, () -> journal.append("gate", null)).getMessage());
            IllegalArgumentException notJson = assertThrows(IllegalArgumentException.class,
                    () -> journal.append("gate", Map.of("thing", new Object())));
            assertTrue(notJson.getMessage().contains("java.lang.Object"), notJson.getMessage());
            Map<String, Object> nullKey = new HashMap<>();
            nullKey.put(null, 1);
            assertThrows(IllegalArgumentException.class, () -> journal.append("gate", nullKey));
            Map<String, Object> cycle = new HashMap<>();
            cycle.put("self", cycle);
            assertThrows(IllegalArgumentException.class, () -> journal.append("gate", cycle));
            List<Object> deep = new ArrayList<>();
            List<Object> inner = deep;
            for (int i = 0; i < 1500; i++) { // deeper than Jackson reads back: refused now, not broken at verify
                List<Object> next = new ArrayList<>();
                inner.add(next);
                inner = next;
            }
            IllegalArgumentException tooDeep = assertThrows(IllegalArgumentException.class,
                    () -> journal.append("gate", Map.of("deep", deep)));
            assertTrue(tooDeep.getMessage().startsWith("audit data cannot be written as JSON: "), tooDeep.getMessage());

            assertEquals(1, journal.size());
            assertEquals(1, written(journal).size());
            AuditRecord next = journal.append("second", Map.of());
            assertEquals(2, next.seq());
            assertEquals(VerifyResult.intact(2), verify(journal));
        }
    }

    @Test
    void afterClose_appendAndCommitAreRefused_andCloseAgainDoesNothing() throws IOException {
        AuditJournal journal = newJournal(clock);
        journal.append("a", Map.of());
        journal.close();
        journal.close();

        IllegalStateException append = assertThrows(IllegalStateException.class, () -> journal.append("b", Map.of()));
        assertTrue(append.getMessage().endsWith(" is closed"), append.getMessage());
        assertThrows(IllegalStateException.class, journal::commit);
        assertEquals(1, journal.size());
    }

    @Test
    void recordsFromDifferentContentHaveDifferentHashes() throws IOException {
        try (AuditJournal journal = newJournal(clock)) {
            AuditRecord a = journal.append("gate", Map.of("decision", "execute"));
            try (AuditJournal other = newJournal(clock)) {
                AuditRecord b = other.append("gate", Map.of("decision", "suppress"));
                assertNotEquals(a.hash(), b.hash());
            }
        }
    }
}
