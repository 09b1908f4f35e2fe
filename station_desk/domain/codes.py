"""National code lists, so rosters from elsewhere line up with ours."""
from __future__ import annotations

from station_desk.domain.errors import N_

# GB/T 3304 ethnic groups: code -> label msgid.
ETHNICITY: dict[str, str] = {
    "01": N_("Han"), "02": N_("Mongol"), "03": N_("Hui"), "04": N_("Tibetan"),
    "05": N_("Uyghur"), "06": N_("Miao"), "07": N_("Yi"), "08": N_("Zhuang"),
    "09": N_("Buyei"), "10": N_("Korean (Chaoxian)"), "11": N_("Manchu"),
    "12": N_("Dong"), "13": N_("Yao"), "14": N_("Bai"), "15": N_("Tujia"),
    "16": N_("Hani"), "17": N_("Kazakh"), "18": N_("Dai"), "19": N_("Li"),
    "20": N_("Lisu"), "21": N_("Wa"), "22": N_("She"), "23": N_("Gaoshan"),
    "24": N_("Lahu"), "25": N_("Sui"), "26": N_("Dongxiang"), "27": N_("Naxi"),
    "28": N_("Jingpo"), "29": N_("Kyrgyz"), "30": N_("Tu"), "31": N_("Daur"),
    "32": N_("Mulao"), "33": N_("Qiang"), "34": N_("Blang"), "35": N_("Salar"),
    "36": N_("Maonan"), "37": N_("Gelao"), "38": N_("Xibe"), "39": N_("Achang"),
    "40": N_("Pumi"), "41": N_("Tajik"), "42": N_("Nu"), "43": N_("Uzbek"),
    "44": N_("Russian"), "45": N_("Evenki"), "46": N_("De'ang"), "47": N_("Bonan"),
    "48": N_("Yugur"), "49": N_("Gin"), "50": N_("Tatar"), "51": N_("Derung"),
    "52": N_("Oroqen"), "53": N_("Hezhen"), "54": N_("Monba"), "55": N_("Lhoba"),
    "56": N_("Jino"),
}

# Chinese labels as they appear in rosters typed elsewhere, for import matching.
ETHNICITY_ZH: dict[str, str] = dict(zip(ETHNICITY, (
    "汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 "
    "土家族 哈尼族 哈萨克族 傣族 黎族 傈僳族 佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 "
    "景颇族 柯尔克孜族 土族 达斡尔族 仫佬族 羌族 布朗族 撒拉族 毛南族 仡佬族 锡伯族 "
    "阿昌族 普米族 塔吉克族 怒族 乌孜别克族 俄罗斯族 鄂温克族 德昂族 保安族 裕固族 京族 "
    "塔塔尔族 独龙族 鄂伦春族 赫哲族 门巴族 珞巴族 基诺族").split()))

# GB/T 4762 political status.
POLITICAL_STATUS: dict[str, str] = {
    "01": N_("CPC member"),
    "02": N_("CPC probationary member"),
    "03": N_("Communist Youth League member"),
    "04": N_("Revolutionary Committee of the Kuomintang member"),
    "05": N_("China Democratic League member"),
    "06": N_("China National Democratic Construction Association member"),
    "07": N_("China Association for Promoting Democracy member"),
    "08": N_("Chinese Peasants' and Workers' Democratic Party member"),
    "09": N_("China Zhi Gong Party member"),
    "10": N_("Jiusan Society member"),
    "11": N_("Taiwan Democratic Self-Government League member"),
    "12": N_("Non-party personage"),
    "13": N_("Masses (no party)"),
}

POLITICAL_STATUS_ZH: dict[str, str] = {
    "01": "中共党员", "02": "中共预备党员", "03": "共青团员", "04": "民革党员",
    "05": "民盟盟员", "06": "民建会员", "07": "民进会员", "08": "农工党党员",
    "09": "致公党党员", "10": "九三学社社员", "11": "台盟盟员", "12": "无党派人士",
    "13": "群众",
}


def code_for(label: str, table_zh: dict[str, str]) -> str | None:
    """The code of a label typed in Chinese (full or without the 族 suffix) or as a code."""
    t = (label or "").strip()
    if not t:
        return None
    if t in table_zh:
        return t
    if t.isdigit() and t.zfill(2) in table_zh:
        return t.zfill(2)
    for code, zh in table_zh.items():
        if t == zh or t + "族" == zh or (len(t) >= 2 and zh.startswith(t)):
            return code
    return None
