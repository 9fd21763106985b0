package io.fal4j.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class IgnoreRulesTest {

    private static IgnoreRules rules(String text) {
        return IgnoreRules.parse(text);
    }

    @Test
    void aSingleStarStaysInItsSegment() {
        IgnoreRules rules = rules("*.txt\n");
        assertTrue(rules.excludes("a.txt"));
        assertFalse(rules.excludes("d/a.txt"));
        assertTrue(rules("*/*.txt").excludes("d/a.txt"));
        assertFalse(rules("*/*.txt").excludes("d/e/a.txt"));
    }

    @Test
    void doubleStarSpansAnyNumberOfSegments() {
        IgnoreRules rules = rules("**/*.txt");
        assertTrue(rules.excludes("a.txt"));
        assertTrue(rules.excludes("d/e/a.txt"));
        assertTrue(rules("**/foo").excludes("foo"));
        assertTrue(rules("**/foo").excludes("x/y/foo"));
        assertTrue(rules("**/foo").excludes("x/foo/inside"), "a matching directory takes its contents");
        assertTrue(rules("a/**/b").excludes("a/b"));
        assertTrue(rules("a/**/b").excludes("a/x/y/b"));
        assertFalse(rules("a/**").excludes("a"));
        assertTrue(rules("a/**").excludes("a/x/y"));
        assertTrue(rules("**").excludes("anything/at/all"));
    }

    @Test
    void aDirectoryRuleTakesEverythingBelowIt() {
        IgnoreRules rules = rules("build");
        assertTrue(rules.excludes("build"));
        assertTrue(rules.excludes("build/classes/A.class"));
        assertFalse(rules.excludes("src/build"));
        assertFalse(rules.excludes("builder"));
    }

    @Test
    void theLastMatchingRuleWinsAndBangReincludes() {
        IgnoreRules rules = rules("*.md\n!README.md\n");
        assertTrue(rules.excludes("CHANGES.md"));
        assertFalse(rules.excludes("README.md"));
        IgnoreRules inside = rules("docs\n!docs/keep.txt\n");
        assertTrue(inside.excludes("docs/other.txt"));
        assertFalse(inside.excludes("docs/keep.txt"));
        assertTrue(inside.reincludes());
        assertTrue(rules("!README.md\n*.md\n").excludes("README.md"), "order matters: the later rule wins");
    }

    @Test
    void patternsAreCleanedLikePaths() {
        assertEquals(List.of("a", "b", "c", "!d"), rules("/a/\n./b\nx/../c\n! /d\n").patterns());
        assertTrue(rules("/a/").excludes("a/file"));
        assertTrue(rules("a//b").excludes("a/b"));
        assertEquals(List.of(), rules("\n   \n").patterns());
    }

    @Test
    void commentsAreLinesThatStartWithAHash() {
        IgnoreRules rules = rules("# a comment\n #notacomment\n");
        assertEquals(List.of("#notacomment"), rules.patterns());
        assertTrue(rules.excludes("#notacomment"));
        assertEquals(List.of("a"), rules("\uFEFFa\n").patterns(), "a byte order mark is dropped");
    }

    @Test
    void classesQuestionMarksAndEscapes() {
        assertTrue(rules("[ab].txt").excludes("a.txt"));
        assertFalse(rules("[ab].txt").excludes("c.txt"));
        assertTrue(rules("[^ab].txt").excludes("c.txt"));
        assertTrue(rules("fil?.txt").excludes("file.txt"));
        assertFalse(rules("fil?.txt").excludes("fil/.txt"));
        assertTrue(rules("\\*.txt").excludes("*.txt"));
        assertFalse(rules("\\*.txt").excludes("a.txt"));
        assertTrue(rules("a+b(c).txt").excludes("a+b(c).txt"), "regex characters are literal");
    }

    @Test
    void malformedPatternsAreRefusedWithTheirLine() {
        IllegalArgumentException unclosed = assertThrows(IllegalArgumentException.class, () -> rules("ok\n[ab\n"));
        assertTrue(unclosed.getMessage().startsWith("line 2:"), unclosed.getMessage());
        assertThrows(IllegalArgumentException.class, () -> rules("!\n"));
        assertThrows(IllegalArgumentException.class, () -> rules("trailing\\"));
    }

    @Test
    void theContextRootIsNeverExcluded() {
        assertFalse(rules("**").excludes("."));
        assertFalse(rules("*").excludes(""));
    }

    @Test
    void laterRuleSetsTakePrecedence() {
        IgnoreRules rules = IgnoreRules.of(IgnoreRules.DEFAULTS).then(rules("!.env\n"));
        assertFalse(rules.excludes(".env"));
        assertTrue(rules.excludes("sub/.env"));
        assertTrue(rules.excludes("x/node_modules/pkg/index.js"));
        assertTrue(rules.excludes(".git/HEAD"));
    }
}
