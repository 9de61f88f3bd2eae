"""The documents people sign and file, as PDF: the school's agreement (Appendix 1, its
calendar, protocol, ballot and signatures), a teacher's balance-of-time pro-forma
(Appendix 2), the annual evaluation and its summary (Appendix 3), and an appeal's record
and decision (section 17).

Each document is made from plain data (a frozen dataclass built from the core's values,
never a Django model), laid out by an HTML template in ``templates/`` as the source form
shows it, and written by WeasyPrint as tagged PDF/UA-1 (render.py). A final document is
signed as a PDF (PAdES, pyHanko) when the operator configures a signing certificate
(signing.py), as the last step: nothing is stamped on a signed PDF afterwards.

WeasyPrint and pyHanko are slow to import, so nothing here imports them until a PDF is
made: the web and the CLI may import this package freely.
"""
