package dev.mi4j.datasets;

import static dev.mi4j.datasets.CsvColumn.Missing.DROP_ROW;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The declared schema of FiveThirtyEight's steak-and-risk survey (550 respondents, 2014), the
 * tabular dataset of Fredrikson, Jha &amp; Ristenpart, CCS 2015 Section 4: the label is how a
 * respondent likes their steak, the sensitive attribute whether they have ever cheated on their
 * significant other.
 *
 * <p>Choices, each recorded in the data's provenance: the respondent id is kept as the record id;
 * "Do you eat steak?" is read past (every respondent with a steak preference answered yes); a
 * blank answer in any other column removes the respondent (complete cases: 332 of 550; one of
 * them left "Do you eat steak?" blank but gave a preference); the yes/no questions, gender, the lottery and the census
 * region are one-hot; age, household income and education are ordered bands, ordinal encoded
 * (lowest first) so that a tree splits them by threshold.
 */
final class SteakSurvey {

    private static final List<String> NO_YES = List.of("No", "Yes");

    static final String LOTTERY_HEADER = "Consider the following hypothetical situations: <br>In Lottery A, you have a 50%"
            + " chance of success, with a payout of $100. <br>In Lottery B, you have a 90% chance of success, with a payout"
            + " of $20. <br><br>Assuming you have $10 to bet, would you play Lottery A or Lottery B?";

    static final List<CsvColumn> COLUMNS = List.of(
            CsvColumn.id("RespondentID", "respondent"),
            CsvColumn.nominal(LOTTERY_HEADER, "lottery", List.of("Lottery A", "Lottery B"), DROP_ROW),
            CsvColumn.nominal("Do you ever smoke cigarettes?", "smoke", NO_YES, DROP_ROW),
            CsvColumn.nominal("Do you ever drink alcohol?", "alcohol", NO_YES, DROP_ROW),
            CsvColumn.nominal("Do you ever gamble?", "gamble", NO_YES, DROP_ROW),
            CsvColumn.nominal("Have you ever been skydiving?", "skydiving", NO_YES, DROP_ROW),
            CsvColumn.nominal("Do you ever drive above the speed limit?", "speeding", NO_YES, DROP_ROW),
            CsvColumn.nominal("Have you ever cheated on your significant other?", "cheated", NO_YES, DROP_ROW),
            CsvColumn.ignore("Do you eat steak?", "eats_steak"),
            CsvColumn.label("How do you like your steak prepared?", "steak",
                    List.of("Rare", "Medium rare", "Medium", "Medium Well", "Well"), DROP_ROW),
            CsvColumn.nominal("Gender", "gender", List.of("Male", "Female"), DROP_ROW),
            CsvColumn.ordinal("Age", "age", List.of("18-29", "30-44", "45-60", "> 60"), DROP_ROW),
            CsvColumn.ordinal("Household Income", "income", List.of("$0 - $24,999", "$25,000 - $49,999",
                    "$50,000 - $99,999", "$100,000 - $149,999", "$150,000+"), DROP_ROW),
            CsvColumn.ordinal("Education", "education", List.of("Less than high school degree", "High school degree",
                    "Some college or Associate degree", "Bachelor degree", "Graduate degree"), DROP_ROW),
            CsvColumn.nominal("Location (Census Region)", "region", List.of("New England", "Middle Atlantic",
                    "East North Central", "West North Central", "South Atlantic", "East South Central",
                    "West South Central", "Mountain", "Pacific"), DROP_ROW));

    /** Line 2: "Response" under every question, blank under the id. */
    static final List<String> SUB_HEADER;

    static {
        List<String> s = new ArrayList<>(Collections.nCopies(COLUMNS.size(), "Response"));
        s.set(0, "");
        SUB_HEADER = List.copyOf(s);
    }

    static final TabularDatasetSpec SPEC = new TabularDatasetSpec(
            "steak-survey", "fivethirtyeight_steak", "steak-risk-survey.csv",
            "FiveThirtyEight steak-and-risk survey: 550 respondents, lifestyle risks and steak preference (CSV)",
            "/dev/mi4j/datasets/manifests/steak-survey.sha256",
            // The only public copy is inside the whole fivethirtyeight/data repository (hundreds of MB as
            // an archive) for one 62 KB file: no download source is recorded; the error says where to put it.
            List.of(),
            "CC BY 4.0, attribution: FiveThirtyEight (fivethirtyeight/data, folder steak-survey, commit "
                    + "fcf572c4fba05a42f1f34f415bd5e6dc389efd68)",
            COLUMNS, SUB_HEADER, "cheated", "Yes");

    private SteakSurvey() {
    }
}
