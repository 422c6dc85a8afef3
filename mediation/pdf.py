"""The 人民调解协议书 as a PDF (A4), drawn with fpdf2 in a CJK font (ADR 0017): the same contents as the printable
page (templates/mediation/agreement.html) — number, parties (masked), facts, terms, performance, the judicial
confirmation notice, signatures and the committee's seal area."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from .models import Agreement, Case

FONT = "cjk"
DEFAULT_FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"  # Debian's fonts-wqy-microhei
MARGIN_MM = 20


def _day(value: dt.date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def _party_line(party) -> str:
    role = "申请人" if party.role == "applicant" else "被申请人"
    line = f"{role}：{party.name}"
    if party.id_number_masked:
        line += f"，身份证号码 {party.id_number_masked}"
    if party.phone_masked:
        line += f"，联系电话 {party.phone_masked}"
    return line


def agreement_pdf(case: Case, agreement: Agreement) -> bytes:
    """The agreement of `case` as the bytes of an A4 PDF (personal data masked, as on the page)."""
    # fpdf2 (and numpy under it) loads when a PDF is first drawn, not when a web worker starts
    from fpdf import FPDF
    from fpdf.enums import Align, WrapMode, XPos, YPos

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(f"人民调解协议书 {case.number}")
    pdf.set_creator("e网清")
    pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
    pdf.set_auto_page_break(auto=True, margin=MARGIN_MM)
    pdf.add_font(FONT, fname=getattr(settings, "PDF_FONT_PATH", "") or DEFAULT_FONT_PATH)
    pdf.add_page()

    def para(text: str, *, size: float = 12, align=None, gap: float = 2) -> None:
        pdf.set_font(FONT, size=size)
        pdf.multi_cell(0, size * 0.6, text, align=align or Align.L, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT)
        pdf.ln(gap)

    para("人民调解协议书", size=20, align=Align.C, gap=6)
    para(f"编号：{case.number}", align=Align.R)
    for party in case.parties.all():
        para(_party_line(party))
    para("纠纷主要事实、争议事项：")
    para(case.facts)
    para("经调解，自愿达成如下协议：")
    para(agreement.terms)
    para(f"履行方式、时限：{agreement.performance_method or '—'}，于 {_day(agreement.perform_by)} 前履行完毕。")
    oral = "（口头协议，已记录在案。）" if agreement.form == "oral" else ""
    para(f"本协议一式三份，当事人、人民调解委员会各持一份。{oral}")
    para("当事人可以自本协议生效之日起三十日内共同向人民法院申请司法确认。", gap=10)
    half = (pdf.w - 2 * MARGIN_MM) / 2
    pdf.set_font(FONT, size=12)
    for left, right in (("申请人（签名）：", "被申请人（签名）："),
                        (f"人民调解员（签名）：{case.mediator.name if case.mediator_id else ''}", "记录人（签名）：")):
        pdf.cell(half, 16, left)
        pdf.cell(half, 16, right, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(8)
    body = case.body.name if case.body_id else "人民调解委员会"
    para(f"{body}（印章）", align=Align.R)
    seal = 42  # mm: the round seal's area
    x, y = pdf.w - MARGIN_MM - seal, pdf.get_y()
    if y + seal + 12 > pdf.h - MARGIN_MM:
        pdf.add_page()
        y = pdf.get_y()
    pdf.set_draw_color(150)
    pdf.set_dash_pattern(dash=1, gap=1)
    pdf.ellipse(x, y, seal, seal)
    pdf.set_dash_pattern()
    pdf.set_y(y + seal + 2)
    para(_day(agreement.signed_on), align=Align.R)
    return bytes(pdf.output())
