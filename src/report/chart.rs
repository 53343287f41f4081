//! The report's status chart and readiness gauge: SVG geometry computed once, so the HTML
//! template only draws it.

use super::{Group, status_key};
use crate::evaluate::ClauseStatus;
use crate::i18n::Localizer;
use serde::Serialize;

/// The status-by-group bar chart, laid out in SVG user units.
#[derive(Debug, Serialize)]
pub struct Chart {
    pub width: u32,
    pub height: u32,
    pub bar_x: u32,
    pub bar_width: u32,
    pub legend_y: u32,
    pub legend: Vec<LegendEntry>,
    pub rows: Vec<ChartRow>,
}

#[derive(Debug, Serialize)]
pub struct LegendEntry {
    pub status: &'static str,
    pub label: String,
    pub x: u32,
}

#[derive(Debug, Serialize)]
pub struct ChartRow {
    pub id: String,
    pub title: String,
    pub y: u32,
    pub total: usize,
    pub total_x: String,
    pub segments: Vec<Segment>,
}

#[derive(Debug, Serialize)]
pub struct Segment {
    pub status: &'static str,
    pub count: usize,
    pub x: String,
    pub width: String,
    /// Where the count is written inside the bar; `None` when the bar is too narrow.
    pub label_x: Option<String>,
}

/// The score gauge: a half circle, filled in proportion to the score.
#[derive(Debug, Serialize)]
pub struct Gauge {
    pub track: String,
    pub value: String,
    /// `good` (90 and above), `fair` (70 and above) or `poor`.
    pub level: &'static str,
}

/// Bars of the status-by-group chart. Widths are proportional to the largest group, so
/// groups compare at a glance.
pub(super) fn chart(groups: &[Group], t: &Localizer) -> Chart {
    const WIDTH: u32 = 720;
    const BAR_X: u32 = 290;
    const BAR_WIDTH: u32 = 390;
    const ROW: u32 = 34;
    const TOP: u32 = 8;
    let max = groups
        .iter()
        .map(|g| g.clauses.len())
        .max()
        .unwrap_or(1)
        .max(1);
    let unit = f64::from(BAR_WIDTH) / max as f64;
    let rows: Vec<ChartRow> = groups
        .iter()
        .enumerate()
        .map(|(i, group)| {
            let mut x = f64::from(BAR_X);
            let mut segments = Vec::new();
            for status in ClauseStatus::ALL {
                let count = group
                    .clauses
                    .iter()
                    .filter(|c| c.status == status_key(status))
                    .count();
                if count == 0 {
                    continue;
                }
                let width = unit * count as f64;
                segments.push(Segment {
                    status: status_key(status),
                    count,
                    x: format!("{x:.1}"),
                    width: format!("{width:.1}"),
                    label_x: (width >= 18.0).then(|| format!("{:.1}", x + width / 2.0)),
                });
                x += width;
            }
            ChartRow {
                id: group.id.clone(),
                title: group.title.clone(),
                y: TOP + ROW * i as u32,
                total: group.clauses.len(),
                total_x: format!("{:.1}", x + 6.0),
                segments,
            }
        })
        .collect();
    let legend_y = TOP + ROW * rows.len() as u32 + 14;
    let legend = ClauseStatus::ALL
        .iter()
        .enumerate()
        .map(|(i, &s)| LegendEntry {
            status: status_key(s),
            label: t.status(s),
            x: BAR_X + 110 * i as u32,
        })
        .collect();
    Chart {
        width: WIDTH,
        height: legend_y + 20,
        bar_x: BAR_X,
        bar_width: BAR_WIDTH,
        legend_y,
        legend,
        rows,
    }
}

/// A half-circle gauge of radius 80 centred at (100, 100).
pub(super) fn gauge(score: f64) -> Gauge {
    let share = (score / 100.0).clamp(0.0, 1.0);
    let angle = std::f64::consts::PI * share;
    let (x, y) = (100.0 - 80.0 * angle.cos(), 100.0 - 80.0 * angle.sin());
    Gauge {
        track: "M 20 100 A 80 80 0 0 1 180 100".to_string(),
        value: if share <= 0.0 {
            String::new()
        } else {
            format!("M 20 100 A 80 80 0 0 1 {x:.2} {y:.2}")
        },
        level: if score >= 90.0 {
            "good"
        } else if score >= 70.0 {
            "fair"
        } else {
            "poor"
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gauge_fills_in_proportion() {
        assert_eq!(gauge(100.0).value, "M 20 100 A 80 80 0 0 1 180.00 100.00");
        assert_eq!(gauge(50.0).value, "M 20 100 A 80 80 0 0 1 100.00 20.00");
        assert_eq!(gauge(0.0).value, "");
        assert_eq!(gauge(95.0).level, "good");
        assert_eq!(gauge(42.0).level, "poor");
    }
}
