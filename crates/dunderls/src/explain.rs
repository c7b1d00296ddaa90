//! `dunderls rules` and `dunderls explain`.

use dunderls_linter::{all_rules, docs, rule_by_code_or_name, FixAvailability};

use crate::cli::{ExplainArgs, RulesArgs, RulesFormat};

pub fn rules(args: RulesArgs) -> u8 {
    match args.output_format {
        RulesFormat::Json => {
            let list: Vec<_> = all_rules()
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "code": r.code,
                        "name": r.name,
                        "group": r.group.title(),
                        "severity": r.severity.as_str(),
                        "fix": fix_label(r.fix),
                        "aliases": r.aliases,
                        "summary": r.summary(),
                        "url": r.url(),
                    })
                })
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&list).expect("JSON of plain values")
            );
        }
        RulesFormat::Full => {
            println!(
                "{:<7} {:<34} {:<11} {:<9} summary",
                "code", "name", "severity", "fix"
            );
            for r in all_rules() {
                println!(
                    "{:<7} {:<34} {:<11} {:<9} {}",
                    r.code,
                    r.name,
                    r.severity.as_str(),
                    fix_label(r.fix),
                    r.summary()
                );
            }
        }
    }
    0
}

fn fix_label(fix: FixAvailability) -> &'static str {
    match fix {
        FixAvailability::None => "none",
        FixAvailability::Sometimes => "sometimes",
        FixAvailability::Always => "always",
    }
}

pub fn explain(args: ExplainArgs) -> u8 {
    let Some(rule) = rule_by_code_or_name(&args.rule) else {
        eprintln!(
            "error: `{}` is not a dunderls rule; `dunderls rules` lists them",
            args.rule
        );
        return 2;
    };
    println!("# {} ({})\n", rule.name, rule.code);
    println!(
        "Severity: {}. Fix: {}. Documentation: {}\n",
        rule.severity.as_str(),
        fix_label(rule.fix),
        rule.url()
    );
    println!("{}", docs::for_display(rule.docs).trim());
    0
}
