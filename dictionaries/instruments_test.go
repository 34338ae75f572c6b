package dictionaries

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestInstrumentBefore(t *testing.T) {
	s := Default()
	type result struct {
		Name string
		OK   bool
	}
	none := result{}
	cases := []struct {
		name   string
		text   string
		want   result
		reason string
	}{
		{"whole name", "States parties to the Convention on the Rights of the Child",
			result{"Convention on the Rights of the Child", true}, "the text ends with a listed name"},
		{"closing punctuation", "the Convention on the Rights of the Child,”  ",
			result{"Convention on the Rights of the Child", true}, "trailing , ” and spaces are ignored"},
		{"case and punctuation", "THE CONVENTION ON THE RIGHTS OF THE CHILD.",
			result{"Convention on the Rights of the Child", true}, "words are compared ignoring case"},
		{"longest whole name", "the Optional Protocol to the Convention on the Rights of the Child on the sale of children, child prostitution and child pornography;",
			result{"Optional Protocol to the Convention on the Rights of the Child on the sale of children, child prostitution and child pornography", true}, "the name accounting for most words wins"},
		{"protocol over convention", "the Kyoto Protocol to the United Nations Framework Convention on Climate Change",
			result{"Kyoto Protocol to the United Nations Framework Convention on Climate Change", true}, "the longer whole name wins over the convention it ends with"},
		{"convention alone", "Parties to the United Nations Framework Convention on Climate Change",
			result{"United Nations Framework Convention on Climate Change", true}, "Parties is not part of any name"},
		{"trafficking protocol full title", "the Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women and Children, supplementing the United Nations Convention against Transnational Organized Crime,",
			result{"Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women and Children, supplementing the United Nations Convention against Transnational Organized Crime", true}, "the full official title"},
		{"tail of a title", "Especially Women and Children",
			result{"Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women and Children", true}, "four final words of a name are enough when the text starts there"},
		{"tail of UNTOC", "supplementing the Convention against Transnational Organized Crime",
			result{"United Nations Convention against Transnational Organized Crime", true}, "five final words, starting with a content word"},
		{"tail too short", "and Children", none, "fewer than four words is not enough for a partial match"},
		{"committee not convention", "the Committee on the Rights of the Child",
			none, "the partial match would start with 'on': the text names the Committee"},
		{"Secretary-General not Charter", "the Secretary-General of the United Nations",
			none, "the partial match would start with 'of'"},
		{"special rapporteur", "the Special Rapporteur on the sale of children, child prostitution and child pornography",
			none, "the partial match starts with 'on': a mandate, not the Optional Protocol"},
		{"dates and dashes", "the Sendai Framework for Disaster Risk Reduction 2015-2030",
			result{"Sendai Framework for Disaster Risk Reduction 2015–2030", true}, "2015-2030 and 2015–2030 compare equal once punctuation goes"},
		{"short form", "in accordance with the Paris Agreement.",
			result{"Paris Agreement", true}, "short forms are listed"},
		{"Charter", "Article 2 of the Charter of the United Nations",
			result{"Charter of the United Nations", true}, "the Charter"},
		{"ILO convention with number", "the Worst Forms of Child Labour Convention, 1999 (No. 182)",
			result{"Worst Forms of Child Labour Convention, 1999 (No. 182)", true}, "ILO titles with year and number"},
		{"apostrophe", "the African Charter on Human and Peoples' Rights",
			result{"African Charter on Human and Peoples’ Rights", true}, "apostrophes are punctuation and ignored"},
		{"no instrument", "the report of the Secretary-General", none, "no listed name ends the text"},
		{"name not at the end", "the Paris Agreement and its implementation", none, "the name must end the text"},
		{"empty", "", none, "nothing to match"},
		{"punctuation only", " ,.;” ", none, "nothing left after trimming"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			name, ok := s.InstrumentBefore(tc.text)
			if diff := cmp.Diff(tc.want, result{name, ok}); diff != "" {
				t.Errorf("InstrumentBefore(%q) mismatch (-want +got):\n%s\nwhy: %s", tc.text, diff, tc.reason)
			}
		})
	}
}

// TestInstrumentsListed checks the size of instruments.txt and that the
// instruments the UN cites most are there under their official titles.
func TestInstrumentsListed(t *testing.T) {
	lf, err := parseString("instruments.txt", instrumentsTxt, sectionInstruments)
	if err != nil {
		t.Fatal(err)
	}
	distinct := map[string]bool{}
	for _, name := range lf.entries[sectionInstruments] {
		k := strings.Join(instrumentWords(name), " ")
		if distinct[k] {
			t.Errorf("instruments.txt lists %q twice", name)
		}
		distinct[k] = true
	}
	if len(distinct) < 150 {
		t.Errorf("instruments.txt has %d distinct names, want at least 150", len(distinct))
	}

	s := Default()
	for _, name := range []string{
		"Charter of the United Nations",
		"Universal Declaration of Human Rights",
		"International Covenant on Civil and Political Rights",
		"International Covenant on Economic, Social and Cultural Rights",
		"International Convention on the Elimination of All Forms of Racial Discrimination",
		"Convention on the Elimination of All Forms of Discrimination against Women",
		"Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment",
		"Convention on the Rights of the Child",
		"Optional Protocol to the Convention on the Rights of the Child on the sale of children, child prostitution and child pornography",
		"Convention on the Rights of Persons with Disabilities",
		"International Convention on the Protection of the Rights of All Migrant Workers and Members of Their Families",
		"International Convention for the Protection of All Persons from Enforced Disappearance",
		"United Nations Convention against Transnational Organized Crime",
		"Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women and Children, supplementing the United Nations Convention against Transnational Organized Crime",
		"United Nations Convention against Corruption",
		"Vienna Convention on the Law of Treaties",
		"Rome Statute of the International Criminal Court",
		"Agreement on the Privileges and Immunities of the International Criminal Court",
		"Relationship Agreement between the United Nations and the International Criminal Court",
		"United Nations Convention on the Law of the Sea",
		"Treaty on the Non-Proliferation of Nuclear Weapons",
		"Comprehensive Nuclear-Test-Ban Treaty",
		"Arms Trade Treaty",
		"Slavery Convention",
		"Supplementary Convention on the Abolition of Slavery, the Slave Trade, and Institutions and Practices Similar to Slavery",
		"Convention relating to the Status of Refugees",
		"Protocol relating to the Status of Refugees",
		"Convention on the Prevention and Punishment of the Crime of Genocide",
		"Vienna Declaration and Programme of Action",
		"Beijing Declaration and Platform for Action",
		"United Nations Millennium Declaration",
		"2005 World Summit Outcome",
		"United Nations Declaration on the Rights of Indigenous Peoples",
		"2030 Agenda for Sustainable Development",
		"Sendai Framework for Disaster Risk Reduction 2015–2030",
		"Addis Ababa Action Agenda",
		"Paris Agreement",
		"Kyoto Protocol",
		"Rome Statute",
	} {
		got, ok := s.InstrumentBefore(name)
		if diff := cmp.Diff(name, got); !ok || diff != "" {
			t.Errorf("InstrumentBefore(%q) mismatch (-want +got):\n%s\nwhy: every core instrument must be listed under its UN title", name, diff)
		}
	}
}

func BenchmarkInstrumentBefore(b *testing.B) {
	s := Default()
	for _, bc := range []struct{ name, text string }{
		{"hit", "States parties to the Convention on the Rights of the Child,"},
		{"miss-common-last-word", "the report of the Committee on the Rights of the Child"},
		{"miss-no-candidate", "as set out in the report of the Secretary-General"},
		{"long-paragraph", strings.Repeat("The General Assembly recalls its earlier resolutions on the matter. ", 40) + "the Convention against Corruption"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.text)))
			for b.Loop() {
				s.InstrumentBefore(bc.text)
			}
		})
	}
}
