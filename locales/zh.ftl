# 中文界面文字（源语言）。英文版 en.ftl 必须有同样的键；蒙古文 mn.ftl 缺少的键回退到中文。

site-name = 数字教育基地
site-region = 科尔沁左翼后旗
site-tagline = 在线参观科左后旗的教育基地：乌力格尔、安代舞、马头琴、蒙古族马具等非物质文化遗产的图片、文字与展览。
skip-to-content = 跳到正文
language = 语言
main-navigation = 主导航
nav-home = 首页
nav-exhibitions = 展览
nav-items = 藏品
nav-bases = 教育基地
footer-about = 把教育基地搬到网上：每个学生每年参观一次展览、写一篇作文。
footer-api = 开放数据接口（JSON）
footer-rights = 除特别注明外，本站文字以 CC0 发布；每件媒体的来源与许可见其说明。

home-title = 首页
home-heading = 走进草原的非物质文化遗产
home-lead = 说唱、史诗、琴歌与舞蹈，马具、器物与节庆——在手机上参观全旗的教育基地，一站一站地看，一件一件地读。
start-visit = 开始参观
browse-collection = 浏览藏品
featured-exhibitions = 精选展览
all-exhibitions = 全部展览
heritage-categories = 非遗类别
from-the-collection = 藏品选粹
education-bases = 教育基地
all-bases = 全部基地
empty-catalogue = 这里还没有公开的内容
empty-catalogue-hint = 馆员发布藏品和展览后，会显示在这里。

bases-lead = 全旗的爱国主义与民族团结进步教育基地：博物馆、学校展室、文化站。
no-bases = 还没有公开的教育基地。
base-level = { $level }教育基地
visit-information = 参观信息
field-town = 苏木镇
field-address = 地址
field-opening-hours = 开放时间
field-contact = 联系方式
field-website = 网站
items-kept-here = 本基地藏品
see-all = 查看全部
no-items-here = 本基地还没有公开的藏品。

items-lead = 按非遗类别、收藏基地或媒体类型筛选，或输入名称查找。
search-label = 查找
search-placeholder = 名称、简介或馆藏号
filter-category = 类别
filter-base = 基地
filter-media = 媒体
filter-any = 全部
apply-filters = 筛选
clear-filters = 清除筛选条件
no-results = 没有找到符合条件的藏品
no-results-hint = 换一个关键词，或减少筛选条件再试一次。
pagination = 分页
first-page = 回到第一页
next-page = 下一页
items-count = { $n } 件藏品

protection-level = { $level }非物质文化遗产
media-heading = 图片
no-media-yet = 这件藏品还没有图片或音视频，先读一读它的故事。
credit = 来源
source = 原始出处
view-original = 查看原图（{ $size }）
record-heading = 藏品信息
field-accession = 馆藏号
field-category = 类别
field-protection-level = 保护级别
field-place = 地区
field-period = 年代
field-inheritors = 传承人
field-base = 收藏单位
field-subjects = 主题
field-rights = 文字许可
in-exhibitions = 出现在这些展览中
related-items = 相关藏品

exhibitions-lead = 由馆员策划的线上展览。选一个展览，跟着导览一站一站地参观。
no-exhibitions = 还没有公开的展览。
stops-count = 共 { $n } 站
the-path = 参观路线
stop-progress = 第 { $n } 站，共 { $total } 站
read-more-about-item = 阅读这件藏品的完整介绍
visit-navigation = 导览
previous-stop = 上一站
next-stop = 下一站
exhibition-overview = 展览介绍
finish-visit = 完成参观
visit-keyboard-hint = 提示：可以用键盘左右方向键或在屏幕上左右滑动切换展站。

error-404-title = 找不到这个页面
error-404-text = 链接可能已经改变，或者这件内容还没有公开。可以从下面的入口继续参观。
error-400-title = 这个链接有问题
error-400-text = 链接里有我们无法理解的内容。
error-500-title = 出了点问题
error-500-text = 服务器出现了错误，我们已经记录下来。请稍后再试。
error-503-title = 暂时无法访问
error-503-text = 服务正在维护或过于繁忙，请稍后再试。
error-bad-param = 参数 { $param } 的值“{ $value }”无效。
error-allowed-values = 可用的值：{ $allowed }。

category-folk_literature = 民间文学
category-traditional_music = 传统音乐
category-traditional_dance = 传统舞蹈
category-traditional_drama = 传统戏剧
category-quyi = 曲艺
category-sports_games_acrobatics = 传统体育、游艺与杂技
category-traditional_art = 传统美术
category-traditional_craft = 传统技艺
category-traditional_medicine = 传统医药
category-folk_custom = 民俗

level-national = 国家级
level-region = 自治区级
level-city = 市级
level-banner = 旗级

base-kind-museum = 博物馆
base-kind-school_hall = 学校展室
base-kind-cultural_station = 文化站
base-kind-heritage_centre = 非遗传承中心
base-kind-other = 其他

media-kind-image = 图片
media-kind-audio = 音频
media-kind-video = 视频
media-kind-document = 文档
